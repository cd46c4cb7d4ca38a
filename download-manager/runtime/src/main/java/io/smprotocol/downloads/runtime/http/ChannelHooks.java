package io.smprotocol.downloads.runtime.http;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.smprotocol.download.DownloadEndReason;

/**
 * What each download connection's pipeline gets besides the HTTP codec:
 * <ul>
 * <li>an idle timeout that sees output progress: Netty's {@link IdleStateHandler} with {@code observeOutput}, which
 * counts every chunk a slow client takes of a long {@code sendfile} as activity (a timeout that only saw writes
 * complete would cut slow but healthy downloads), and that records {@code IDLE_TIMEOUT} as the reason before it
 * closes;</li>
 * <li>on Netty's native epoll transport, a bound on the socket's unsent bytes ({@link EpollSockets}).</li>
 * </ul>
 */
final class ChannelHooks {

    private ChannelHooks() {
    }

    /**
     * @param channel the new connection's channel, on its event loop
     * @param download its state
     * @param idleTimeoutMillis the idle timeout, 0 for none
     */
    static void install(Channel channel, DownloadConnection download, long idleTimeoutMillis) {
        if (EpollSockets.isEpoll(channel)) {
            EpollSockets.boundUnsent(channel);
        }
        if (idleTimeoutMillis > 0) {
            channel.pipeline().addFirst("smprotocol-idle", new IdleCloser(idleTimeoutMillis, download));
        }
    }

    private static final class IdleCloser extends IdleStateHandler {
        private final DownloadConnection download;

        IdleCloser(long idleTimeoutMillis, DownloadConnection download) {
            super(true, 0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS);
            this.download = download;
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
            download.closing(DownloadEndReason.IDLE_TIMEOUT);
            ctx.close();
        }
    }
}
