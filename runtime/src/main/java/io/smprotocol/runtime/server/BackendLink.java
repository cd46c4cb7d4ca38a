package io.smprotocol.runtime.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * A proxied connection's connection to the backend. Confined to the client connection's event loop.
 */
final class BackendLink {

    private NetSocket socket;
    private boolean open;
    private boolean outputShut;

    /**
     * Connects on the calling context (the client connection's), so both sockets share one event loop.
     *
     * @param client the protocol's client
     * @param host the backend's host
     * @param port the backend's port
     * @param onData receives the backend's bytes
     * @param onInputShutdown called when the backend half-closes (it sends no more, it may still read)
     * @param onClosed called once when the backend connection closed
     * @param onDrain called when the backend can take writes again
     * @return completes when connected
     */
    Future<Void> connect(NetClient client, String host, int port, Handler<Buffer> onData, Runnable onInputShutdown,
            Runnable onClosed, Runnable onDrain) {
        return client.connect(port, host).map(connected -> {
            socket = connected;
            open = true;
            NetSocketInternal internal = (NetSocketInternal) connected;
            internal.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            internal.eventHandler(event -> {
                if (event instanceof ChannelInputShutdownEvent) {
                    onInputShutdown.run();
                }
            });
            connected.handler(onData);
            connected.drainHandler(ignored -> onDrain.run());
            connected.closeHandler(ignored -> {
                open = false;
                onClosed.run();
            });
            connected.exceptionHandler(ignored -> {
                // the close handler follows and ends the client connection
            });
            return null;
        });
    }

    void write(Buffer bytes) {
        if (open) {
            socket.write(bytes);
        }
    }

    /** Sends FIN: the client half-closed, the backend may still answer. */
    void shutdownOutput() {
        if (open && ((NetSocketInternal) socket).channelHandlerContext().channel() instanceof DuplexChannel duplex) {
            outputShut = true;
            duplex.shutdownOutput();
        }
    }

    /** @return whether writes wait for the backend to read; never once its side of the connection is shut */
    boolean writeQueueFull() {
        return open && !outputShut && socket.writeQueueFull();
    }

    /**
     * Stops or restarts reading from the backend. Reading stops in Netty, not in Vert.x: Vert.x would keep
     * delivering the backend's half-close while holding back the data read before it.
     */
    void reading(boolean read) {
        if (open) {
            ((NetSocketInternal) socket).channelHandlerContext().channel().config().setAutoRead(read);
        }
    }

    boolean isOpen() {
        return open;
    }

    void close() {
        if (open) {
            socket.close();
        }
    }
}
