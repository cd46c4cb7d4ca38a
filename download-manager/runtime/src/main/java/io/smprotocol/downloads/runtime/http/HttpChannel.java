package io.smprotocol.downloads.runtime.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.ReferenceCountUtil;
import io.smprotocol.runtime.server.IdleSweep;
import io.vertx.core.Future;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One connection of the download listener as HTTP/1.1: Netty's request decoder (made strict, {@link StrictRequestDecoder})
 * and response encoder in the pipeline of a Vert.x TCP connection, so that requests arrive as Netty messages on the
 * connection's event loop and responses leave as Netty messages, with nothing of Vert.x' HTTP server in between.
 * <p>
 * Requests are answered one at a time, in order: a request that arrives (pipelined) while another is answered waits,
 * and the connection stops reading until the answers caught up. After an answer to a request that does not keep the
 * connection (RFC 9112 section 9.3), the connection closes once the answer is written.
 * <p>
 * A connection that makes no progress for its idle timeout is closed: progress is a request or body read, a write,
 * or the socket taking bytes of what is queued (each chunk a slow client takes of a long {@code sendfile} counts, so
 * a timeout does not cut slow but healthy downloads). Its event loop's {@link IdleSweep} looks at it, instead of a
 * timer of its own. Confined to the connection's event loop.
 */
final class HttpChannel implements IdleSweep.Watched {

    /** What the channel hands the requests it reads to. */
    interface Exchanges {
        /** A request head, decoded and accepted by the decoder's rules; answer it with {@code response}. */
        void request(HttpChannel channel, RequestHead head, ResponseWriter response);

        /** A request the decoder refused or could not read; answer it with {@code response}, then close. */
        void invalid(HttpChannel channel, HttpRequest request, ResponseWriter response);

        /** A request body the decoder could not read or would not read further: the connection is closed. */
        void badBody(HttpChannel channel, String cause, String detail);

        /** The connection made no progress for its idle timeout; it is closed right after. */
        void idle(HttpChannel channel);
    }

    private final NetSocketInternal socket;
    private final ConnectionBase connection;
    private final Channel channel;
    private final ContextInternal context;
    private Exchanges exchanges;
    /** Requests read while an earlier one is being answered. */
    private final ArrayDeque<HttpRequest> waiting = new ArrayDeque<>(2);
    private ResponseWriter current;
    private Runnable drain;
    /** Inside {@link #ended}'s loop over waiting requests. */
    private boolean dispatching;
    private boolean closed;
    private String peerIp;
    /** The idle timeout; zero: none. */
    private long idleTimeoutNanos;
    /** Counts reads and writes; the sweep compares it with what it saw last. */
    private int activity;
    private int activitySeen;
    private long lastActivity;
    /** What the socket had queued at the last sweep: the message being written, how far, and how many bytes. */
    private int outputSeen;
    private long outputProgressSeen;
    private long outputPendingSeen;

    /**
     * Puts the HTTP codec in the connection's pipeline, ahead of Vert.x' own handler; on the connection's event loop,
     * before any byte was read.
     */
    HttpChannel(NetSocketInternal socket) {
        this.socket = socket;
        this.connection = (ConnectionBase) socket;
        this.channel = socket.channelHandlerContext().channel();
        this.context = connection.getContext();
        ChannelPipeline pipeline = channel.pipeline();
        String vertx = socket.channelHandlerContext().name();
        pipeline.addBefore(vertx, "smprotocol-http-decoder",
                new StrictRequestDecoder(() -> exchanges.badBody(this, "body-too-large", "chunked")));
        pipeline.addBefore(vertx, "smprotocol-http-encoder", new HttpResponseEncoder());
    }

    /**
     * Starts taking requests; the handlers it tells run on the connection's event loop.
     *
     * @param idleTimeoutNanos the idle timeout, zero for none
     */
    void start(Exchanges exchanges, long idleTimeoutNanos, Runnable closeHandler) {
        this.exchanges = exchanges;
        this.idleTimeoutNanos = idleTimeoutNanos;
        if (idleTimeoutNanos > 0) {
            lastActivity = System.nanoTime();
            IdleSweep.watch(channel.eventLoop(), this, idleTimeoutNanos);
        }
        socket.messageHandler(this::read);
        socket.drainHandler(v -> {
            Runnable waiter = drain;
            if (waiter != null) {
                drain = null;
                waiter.run();
            }
        });
        socket.closeHandler(v -> {
            closed = true;
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
            closeHandler.run();
        });
    }

    private void read(Object message) {
        activity++;
        if (message instanceof HttpRequest request) {
            if (current != null || !waiting.isEmpty()) {
                waiting.add(request);
                channel.config().setAutoRead(false);
            } else {
                answer(request);
            }
        } else if (message instanceof HttpContent content) {
            // the listener serves GET and HEAD: a body is read (within the decoder's bound) and dropped
            try {
                if (content.decoderResult().isFailure()) {
                    // a malformed chunk: where the next request would start is not known
                    exchanges.badBody(this, "malformed-request", content.decoderResult().cause().getMessage());
                    close();
                }
            } finally {
                content.release();
            }
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void answer(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            current = new ResponseWriter(this, request, false);
            exchanges.invalid(this, request, current);
        } else {
            RequestHead head = new RequestHead(request);
            current = new ResponseWriter(this, request, head.keepAlive());
            exchanges.request(this, head, current);
        }
    }

    /** The response's last write is queued: the next request may be answered once it went out. */
    void ended(ResponseWriter response, Future<Void> written) {
        if (current != response) {
            return;
        }
        if (!response.keepAlive()) {
            written.onComplete(done -> close());
            return;
        }
        current = null;
        drain = null;
        if (dispatching) {
            // an answer that ended at once, inside the loop below: the loop takes the next request
            return;
        }
        dispatching = true;
        try {
            // a loop, not a recursion: thousands of pipelined requests answered at once must not deepen the stack
            while (current == null && !closed) {
                HttpRequest next = waiting.poll();
                if (next == null) {
                    channel.config().setAutoRead(true);
                    return;
                }
                // maybe told from a Netty listener: the next answer runs on the connection's context, as the first did
                context.emit(next, this::answer);
            }
        } finally {
            dispatching = false;
        }
    }

    /** @return completes when the message was written, fails when it could not be */
    Future<Void> write(Object message) {
        activity++;
        return socket.writeMessage(message);
    }

    /** Writes without telling when it was done: a failure closes the connection, the response ends with it. */
    void writeOnly(Object message) {
        activity++;
        connection.writeToChannel(message);
    }

    /** Writes, telling Netty's own promise (for writes whose completion is told on the event loop). */
    void write(Object message, ChannelPromise promise) {
        activity++;
        connection.writeToChannel(message, promise);
    }

    @Override
    public boolean sweep(long now) {
        if (closed) {
            return false;
        }
        // both looked at: the output seen is taken anew at every sweep
        if (activity != activitySeen | outputMoved()) {
            activitySeen = activity;
            lastActivity = now;
            return true;
        }
        if (now - lastActivity < idleTimeoutNanos) {
            return true;
        }
        exchanges.idle(this);
        cut();
        return false;
    }

    /**
     * @return whether the socket took bytes of what it had queued since the last sweep, or queued more; the same look
     *         as Netty's {@code IdleStateHandler} takes with {@code observeOutput}
     */
    private boolean outputMoved() {
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        if (queued == null) {
            return false;
        }
        int current = System.identityHashCode(queued.current());
        long progress = queued.currentProgress();
        long pending = queued.totalPendingWriteBytes();
        boolean moved = current != outputSeen || progress != outputProgressSeen || pending != outputPendingSeen;
        outputSeen = current;
        outputProgressSeen = progress;
        outputPendingSeen = pending;
        return moved;
    }

    ChannelPromise newPromise() {
        return channel.newPromise();
    }

    /** @return whether the socket takes more without queueing in memory */
    boolean writable() {
        return !socket.writeQueueFull();
    }

    /** Runs once when the socket can take more again. */
    void onDrain(Runnable waiter) {
        this.drain = waiter;
    }

    boolean closed() {
        return closed;
    }

    /** Closes once what was written so far went out. */
    Future<Void> close() {
        return socket.close();
    }

    /**
     * Closes now, dropping what the socket still queues: for a client that no longer takes bytes, whose queued
     * bytes would otherwise hold the close back for good.
     */
    void cut() {
        // from the first handler toward the socket: a close from the channel would reach Vert.x' handler, which
        // closes only once the queued bytes are written
        channel.pipeline().firstContext().close();
    }

    /** @return the connection's event loop context */
    ContextInternal context() {
        return context;
    }

    Channel channel() {
        return channel;
    }

    /** @return the address of the connection's peer, as text */
    String peerIp() {
        String ip = peerIp;
        if (ip == null) {
            SocketAddress address = channel.remoteAddress();
            ip = address instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress()
                    : String.valueOf(address);
            peerIp = ip;
        }
        return ip;
    }

    /** @return the peer's port, or -1 */
    int peerPort() {
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }
}
