package io.smprotocol.downloads.runtime.http;

import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.smprotocol.download.DownloadEndReason;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Two Netty handlers put at the head of each download connection's pipeline, for what the Vert.x API does not tell:
 * <ul>
 * <li>how many bytes a {@code sendfile} moved before the connection died: the {@link FileRegion}'s
 * {@code transferred()} when its write completes or fails, so that an interrupted zero-copy download is still
 * counted to the byte;</li>
 * <li>an idle timeout that sees output progress: Netty's {@link IdleStateHandler} with {@code observeOutput}, which
 * counts every chunk a slow client takes of a long {@code sendfile} as activity (Vert.x' own idle timeout would only
 * see the write complete, and cut slow but healthy downloads), and that records {@code IDLE_TIMEOUT} as the reason
 * before it closes.</li>
 * </ul>
 * On Netty's native epoll transport it also bounds the socket's unsent bytes ({@link EpollSockets}).
 * <p>
 * They reach the channel through {@link ConnectionBase#channel()}, a Vert.x internal that is stable across 4.x; when
 * it is not there the download manager works on with exact counts for completed responses only.
 */
final class ChannelHooks {

    private static final Logger LOG = Logger.getLogger(ChannelHooks.class);

    private ChannelHooks() {
    }

    /**
     * @param connection the new connection, on its event loop
     * @param download its state
     * @param idleTimeoutMillis the idle timeout, 0 for none
     * @return whether the hooks are in place
     */
    static boolean install(HttpConnection connection, DownloadConnection download, long idleTimeoutMillis) {
        if (!(connection instanceof ConnectionBase base)) {
            LOG.debugf("no Netty channel behind %s: no sendfile progress nor idle timeout", connection.getClass());
            return false;
        }
        Channel channel = base.channel();
        if (EpollSockets.isEpoll(channel)) {
            EpollSockets.boundUnsent(channel);
        }
        if (idleTimeoutMillis > 0) {
            channel.pipeline().addFirst("smprotocol-idle", new IdleCloser(idleTimeoutMillis, download));
        }
        channel.pipeline().addFirst("smprotocol-sendfile", new SendfileProgress(download));
        return true;
    }

    private static final class SendfileProgress extends ChannelOutboundHandlerAdapter {
        private final DownloadConnection download;

        SendfileProgress(DownloadConnection download) {
            this.download = download;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof FileRegion region && !promise.isVoid()) {
                DownloadExchange exchange = download.current();
                if (exchange != null) {
                    promise.addListener(done -> exchange.sendfileTransferred(region.transferred()));
                }
            }
            super.write(ctx, msg, promise);
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
