package io.smprotocol.runtime.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Closes a connection the server ends by itself without resetting it: what was written is flushed, the sending side is
 * shut (the client reads the last reply, then end of stream), and what the client still sends is read and dropped until
 * it closes its side or the linger time ends.
 * <p>
 * Closing a socket whose receive buffer holds unread bytes, or that receives bytes after the close, makes the kernel
 * answer with a reset; a client that gets the reset before reading the reply loses the reply ("Connection reset"
 * instead of "500 Line too long"). How often that happens depends on the transport's timing (the native epoll transport
 * closes sooner than NIO), so every server-initiated close goes through here.
 */
final class LingeringClose {

    private static final String HANDLER_NAME = "smprotocol-linger";

    private LingeringClose() {
    }

    /** {@link #close(Channel, Duration, Runnable)} for a connection nobody else follows. */
    static void close(Channel channel, Duration linger) {
        close(channel, linger, () -> {
        });
    }

    /**
     * Runs on the channel's event loop. Calling it again for a channel already closing does nothing.
     *
     * @param channel the connection
     * @param linger the longest the whole close takes: flushing what was written (a client that does not read may
     *        never take it), then reading and dropping until the client closes its side; zero closes at once
     * @param outputShut run once nothing more can be written to the client (the connection is over for its user),
     *        before or when the channel itself closes
     */
    static void close(Channel channel, Duration linger, Runnable outputShut) {
        if (channel.pipeline().get(HANDLER_NAME) != null) {
            return;
        }
        Runnable ended = once(outputShut);
        if (linger.isZero() || !(channel instanceof DuplexChannel duplex)
                || channel.pipeline().get(SslHandler.class) != null) {
            // TLS ends with its own close_notify, which a half-closed socket could not send
            ended.run();
            channel.flush();
            channel.close();
            return;
        }
        channel.pipeline().addFirst(HANDLER_NAME, new DropUntilClosed());
        channel.config().setAutoRead(true);
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            ended.run();
            channel.close();
        }, linger.toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> {
            deadline.cancel(false);
            ended.run();
        });
        // an empty write queued behind everything else completes once all before it reached the socket
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!written.isSuccess()) {
                channel.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                ended.run();
                if (!shut.isSuccess()) {
                    channel.close();
                }
            });
        });
    }

    private static Runnable once(Runnable action) {
        boolean[] ran = new boolean[1];
        return () -> {
            if (!ran[0]) {
                ran[0] = true;
                action.run();
            }
        };
    }

    /** Drops what the client still sends; closes once it sends no more. */
    private static final class DropUntilClosed extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // nothing of this reaches the handlers behind
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
            ReferenceCountUtil.release(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a reset while lingering is the end we were waiting for
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }
}
