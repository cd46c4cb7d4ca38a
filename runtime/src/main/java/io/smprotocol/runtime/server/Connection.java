package io.smprotocol.runtime.server;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.smprotocol.CloseReason;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.codec.LineCodec;
import io.smprotocol.codec.LineFramer;
import io.smprotocol.runtime.config.LineTooLongAction;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.devmode.HotReplacementTrigger;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One client connection of a protocol, served by its hooks or, in proxy mode, relayed to its backend.
 * <p>
 * Everything that happens to a connection (connect, each command, each backend reply, replies the framework sends,
 * half-close, close) becomes a step in one queue, run one at a time in arrival order; so hooks of a connection never
 * overlap and what is written keeps the order of what it answers, whatever thread each hook runs on. Reading pauses
 * while too many steps wait or a peer does not read what is written to it, so memory stays bounded. All state is
 * confined to the connection's event loop.
 * <p>
 * This class keeps the queue, reading, flushing and closing; what a proxy does with each step is {@link ProxyRelay}'s
 * (the backend link, the relay both ways and the replies owed), what the hooks of a connection that serves its
 * clients do with each command, line and batch of raw lines is {@link CommandServing}'s, and calling a hook is
 * {@link HookCalls}'.
 */
final class Connection {

    /** Steps waiting above which reading pauses. */
    private static final int PAUSE_AT = 64;
    /** Steps waiting at or below which reading resumes. */
    private static final int RESUME_AT = 16;
    /**
     * Batches of raw lines waiting at which reading pauses: what a connection holds of a payload stays within a few
     * times {@link RawLineBatch#MAX_BYTES}, whatever its size. Four, not two: with two, the event loop stopped reading
     * whenever the hook's thread was a batch behind, and a 50 MB message went about 12 % slower (bench/smtp-payload.sh).
     */
    private static final int RAW_BATCHES_PAUSE_AT = 4;

    private final ProtocolServer server;
    private final NetSocket socket;
    private final Context context;
    private final String id;
    /** The client's address as text, for limits and logs; the {@link InetSocketAddress}es are made when asked. */
    private final String clientIp;
    /**
     * What the connection runs with: read again at each step boundary, so that a reload's hooks, configuration and
     * metrics arrive together. The codec and framing limits stay those the connection started with.
     */
    private ProtocolRuntime runtime;
    /** The proxy side; {@code null} on a connection that serves its clients itself. */
    private final ProxyRelay relay;
    private final HookCalls hookCalls = new HookCalls(this);
    // small at first: most connections are idle or have a command or two in flight; pipelining grows them
    private final ArrayDeque<Step> steps = new ArrayDeque<>(4);
    /** Calling the hooks that serve commands, lines and raw lines. */
    private final CommandServing serving;
    private final ConnectionSession session = new ConnectionSession(this);
    private final IdleTimer idleTimer;
    private final Promise<Void> closed = Promise.promise();

    private LineFramer.Listener lineListener;
    private LineFramer lineFramer;
    private Codec.Decoder commandDecoder;
    private Thread eventLoopThread;
    private boolean running;
    private boolean readPaused;
    private boolean acceptingInput = true;
    /** The server decided to close: what the client sent after that decision is not acted on. */
    private boolean closing;
    private boolean clientInputShut;
    private volatile boolean open = true;
    private boolean closeQueued;
    /** The raw lines of the read being decoded; then, in {@link #rawBatches}, those waiting to run. */
    private RawLineBatch rawBatch;
    private final ArrayDeque<RawLineBatch> rawBatches = new ArrayDeque<>(2);
    private volatile long bytesIn;
    private volatile long bytesOut;
    private CloseReason closeReason;
    /** What goes to the client at the next flush. */
    private final OutboundBatch toClient;
    /** Made at the first count: an idle connection holds none. */
    private CommandTally tally;
    /** Decoding a read: the steps it queues write in one batch, flushed when the read is decoded. */
    private boolean decoding;
    /**
     * While a read is decoded: when it arrived, then when the last command served from it was answered. A command
     * starts when the one before it ended, so timing it takes one clock reading instead of two, and replies of one
     * read all arrived when it did.
     */
    private long clock;
    /** Set when the protocol drains: close with this reason as soon as no step is left. */
    private CloseReason drainReason;
    private long lastActivity;

    Connection(ProtocolServer server, NetSocket socket, Context context, String id) {
        this.server = server;
        this.socket = socket;
        this.context = context;
        this.id = id;
        this.runtime = server.runtime();
        ProtocolConfig config = runtime.config();
        this.clientIp = socket.remoteAddress().hostAddress();
        ByteBufAllocator allocator = ((NetSocketInternal) socket).channelHandlerContext().alloc();
        this.toClient = new OutboundBatch(allocator);
        this.relay = config.proxies() ? new ProxyRelay(this, server, allocator) : null;
        this.serving = new CommandServing(this);
        this.idleTimer = new IdleTimer(context.owner(), config.idleTimeout().toNanos(), () -> open,
                () -> running || !steps.isEmpty(), () -> lastActivity, this::idle);
    }

    /** Wires the socket and runs the connect step. Called on the connection's event loop. */
    void start() {
        eventLoopThread = Thread.currentThread();
        lastActivity = System.nanoTime();
        setUpInput();
        NetSocketInternal internal = (NetSocketInternal) socket;
        // a client that half-closes still gets the replies to what it sent
        internal.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        internal.eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent && !clientInputShut) {
                clientInputShut = true;
                enqueue(Step.CLIENT_DONE);
            }
        });
        socket.handler(this::onData);
        socket.closeHandler(ignored -> onSocketClosed());
        socket.exceptionHandler(this::onSocketFailure);
        socket.drainHandler(ignored -> updateReading());
        idleTimer.start();
        server.log().debugf("[%s] connection %s opened from %s", server.name(), id, socket.remoteAddress());
        enqueue(Step.CONNECT);
    }

    /**
     * A protocol serving its clients with the line codec frames with its line-ending and over-long policies; every
     * other case uses the codec's decoder, which for lines in a proxy passes over-long lines through.
     */
    private void setUpInput() {
        ProtocolConfig config = runtime.config();
        Codec codec = runtime.codec();
        if (relay == null && codec instanceof LineCodec) {
            lineListener = new LineFramer.Listener() {
                @Override
                public void onLine(String line, Buffer raw) {
                    if (!acceptingInput) {
                        return;
                    }
                    if (session.readsRawLines()) {
                        rawBatch().line(line);
                    } else if (idle()) {
                        runAtOnce(Step.Kind.COMMAND, null, line);
                    } else {
                        enqueue(Step.of(Step.Kind.COMMAND, new Frame(null, line)));
                    }
                }

                @Override
                public void onLineTooLong() {
                    if (acceptingInput && session.readsRawLines()) {
                        rawBatch().tooLong();
                    } else if (acceptingInput) {
                        lineTooLong();
                    }
                }

                @Override
                public void onBareLineEnding() {
                    if (acceptingInput && session.readsRawLines()) {
                        rawBatch().bareLineEnding();
                    } else if (acceptingInput) {
                        enqueue(Step.write(Reply.of(runtime.config().replies().protocolError()), null));
                    }
                }
            };
            lineFramer = new LineFramer(config.lineEnding(), config.maxLineLength(), runtime.charset(), false, false,
                    lineListener);
        } else if (relay != null) {
            commandDecoder = codec.relayDecoder(config.maxLineLength(), config.maxBulkLength().asLongValue(),
                    runtime.charset());
        } else {
            commandDecoder = codec.decoder(false, config.maxLineLength(), runtime.charset());
        }
    }

    // ---- input

    private void onData(Buffer data) {
        bytesIn += data.length();
        runtime.metrics().bytesIn(data.length());
        lastActivity = clock = System.nanoTime();
        if (!acceptingInput) {
            return;
        }
        if (relay != null && relay.passingThrough()) {
            relay.passThrough(data);
            flush();
            return;
        }
        decoding = true;
        try {
            if (lineFramer != null) {
                lineFramer.feed(data);
                queueRawBatch();
            } else {
                commandDecoder.decode(data, this::onCommandFrame);
            }
        } catch (RuntimeException e) {
            // a codec's own failure counts as unreadable input too: the client is answered, never left hanging
            acceptingInput = false;
            server.log().debugf(e, "[%s] connection %s: unreadable input", server.name(), id);
            enqueue(Step.write(Reply.close(runtime.config().replies().codecError()), CloseReason.PROTOCOL_ERROR));
        } finally {
            decoding = false;
        }
        flush();
    }

    /**
     * @return the batch the raw lines being read go to: the last one waiting to run, while nothing else was queued
     *         after it and it has room, so that the reads arriving while a hook works join one batch; else a new one
     */
    private RawLineBatch rawBatch() {
        if (rawBatch != null && rawBatch.full()) {
            queueRawBatch();
        }
        if (rawBatch == null) {
            RawLineBatch waiting = rawBatches.peekLast();
            boolean joinable = waiting != null && !waiting.full() && steps.peekLast() == Step.RAW_LINES;
            rawBatch = joinable ? waiting : new RawLineBatch();
        }
        return rawBatch;
    }

    private void queueRawBatch() {
        RawLineBatch batch = rawBatch;
        rawBatch = null;
        if (batch != null && !batch.isEmpty() && batch != rawBatches.peekLast()) {
            rawBatches.add(batch);
            enqueue(Step.RAW_LINES);
        }
    }

    private void onCommandFrame(Frame frame) {
        // a proxy's command goes on in this very turn unless a step is at work: the step queue runs it at once
        if (frame.text() == null) {
            enqueue(Step.of(Step.Kind.PASS_TO_BACKEND, frame));
        } else if (idle()) {
            runAtOnce(Step.Kind.COMMAND, frame, null);
        } else {
            enqueue(Step.of(Step.Kind.COMMAND, frame));
        }
    }

    private void lineTooLong() {
        ProtocolConfig config = runtime.config();
        boolean close = config.lineTooLongAction() == LineTooLongAction.CLOSE;
        if (close) {
            // nothing the client sends after this is read
            acceptingInput = false;
        }
        String reply = config.replies().lineTooLong();
        enqueue(close ? Step.write(Reply.close(reply), CloseReason.LINE_TOO_LONG) : Step.write(Reply.of(reply), null));
    }

    /**
     * The backend answered a command (proxy): the command decoder learns of it.
     *
     * @return {@code false} once the connection stops following its codec and must pass through
     */
    boolean commandAnswered(String verb, boolean error) {
        return commandDecoder == null || commandDecoder.replied(verb, error);
    }

    /** Bytes from the backend (proxy). */
    void onBackendData(Buffer data) {
        lastActivity = clock = System.nanoTime();
        decoding = true;
        try {
            relay.onBackendData(data);
        } finally {
            decoding = false;
        }
        flush();
        if (drainReason != null && !running && steps.isEmpty() && relay.owesNothing()) {
            // a draining proxy closes once the last reply owed has gone
            closeWith(drainReason);
        }
    }

    /** The backend sends no more (proxy). */
    void backendSendsNoMore() {
        enqueue(Step.BACKEND_DONE);
    }

    /** The backend connection closed or sent what cannot be read (proxy): the client is closed too. */
    void backendClosed() {
        enqueue(Step.write(Reply.close(), CloseReason.BACKEND_CLOSED));
    }

    void onBackendFrame(Frame frame) {
        if (idle()) {
            runAtOnce(Step.Kind.BACKEND_REPLY, frame, null);
        } else {
            enqueue(Step.of(Step.Kind.BACKEND_REPLY, frame));
        }
    }

    /** @return the time now: while a read is decoded, the time the last command of it ended */
    long now() {
        return decoding ? clock : System.nanoTime();
    }

    /** @return the time now, read from the clock; the next command of the read starts then */
    long tick() {
        long now = System.nanoTime();
        if (decoding) {
            clock = now;
        }
        return now;
    }

    // ---- the serial step queue

    /**
     * @return whether a command or reply that just arrived can run at once instead of being queued: no step runs or
     *         waits, the connection is not closing, and no live reload has to run first. This is the usual case, and
     *         it spares a pipelining client a step object and two queue operations per command.
     */
    private boolean idle() {
        return !running && steps.isEmpty() && !closing && !HotReplacementTrigger.active();
    }

    /** Runs a command (a line, or a frame) or a backend reply that found nothing queued, without queueing it. */
    private void runAtOnce(Step.Kind kind, Frame frame, String line) {
        running = true;
        runtime = server.runtime();
        Future<Void> done;
        try {
            if (kind == Step.Kind.BACKEND_REPLY) {
                done = relay.relayReply(frame);
            } else {
                done = line != null ? serving.handleLine(line) : command(frame);
            }
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        if (settle(done) && !steps.isEmpty()) {
            // what the line caused to be queued (a close once its reply went out) runs now
            runSteps();
        }
    }

    private void enqueue(Step step) {
        steps.add(step);
        updateReading();
        runSteps();
    }

    private void runSteps() {
        while (!running) {
            Step step = steps.poll();
            if (step == null) {
                if (!decoding) {
                    flush();
                }
                // a draining proxy also waits for the replies to the commands it forwarded
                if (drainReason != null && (relay == null || relay.owesNothing())) {
                    closeWith(drainReason);
                }
                updateReading();
                return;
            }
            running = true;
            Future<Void> done;
            try {
                done = run(step);
            } catch (RuntimeException e) {
                // a codec's or hook's failure thrown instead of returned must not leave the queue stuck
                done = Future.failedFuture(e);
            }
            if (!settle(done)) {
                return;
            }
            // finished synchronously: loop instead of recursing, a pipelining client can queue many lines
        }
    }

    /**
     * Ends the running step when it is done: at once, or when its future completes, after which the queue goes on.
     *
     * @return whether the step was already done
     */
    private boolean settle(Future<Void> done) {
        if (done.isComplete()) {
            running = false;
            logIfFailed(done.cause());
            return true;
        }
        // what the steps so far wrote goes out while this one waits
        flush();
        done.onComplete(result -> {
            running = false;
            logIfFailed(result.cause());
            runSteps();
        });
        return false;
    }

    private void logIfFailed(Throwable failure) {
        if (failure != null) {
            server.log().errorf(failure, "[%s] connection %s: unexpected failure", server.name(), id);
        }
    }

    /** Pauses both peers while too much waits, resumes them when it has gone. */
    void updateReading() {
        if (!open) {
            return;
        }
        boolean backlog = steps.size() >= PAUSE_AT || rawBatches.size() >= RAW_BATCHES_PAUSE_AT
                || socket.writeQueueFull()
                || relay != null && relay.writeQueueFull();
        if (backlog && !readPaused) {
            reading(false);
        } else if (readPaused && !backlog && steps.size() <= RESUME_AT) {
            reading(true);
        }
    }

    /**
     * Stops or restarts reading from both peers. Reading stops in Netty, not in Vert.x: Vert.x would keep delivering
     * a peer's half-close while holding back the data read before it, and bytes would be lost.
     */
    private void reading(boolean read) {
        readPaused = !read;
        ((NetSocketInternal) socket).channelHandlerContext().channel().config().setAutoRead(read);
        if (relay != null) {
            relay.reading(read);
        }
    }

    private Future<Void> run(Step step) {
        if (HotReplacementTrigger.active() && (step.kind() == Step.Kind.CONNECT || step.kind() == Step.Kind.COMMAND
                || step.kind() == Step.Kind.RAW_LINES)) {
            // quarkus dev: changed hooks become live before this client is greeted or this command is handled
            return HotReplacementTrigger.beforeTraffic(context).compose(ignored -> runNow(step));
        }
        return runNow(step);
    }

    private Future<Void> runNow(Step step) {
        runtime = server.runtime();
        if (closing && step.kind() != Step.Kind.CLOSE) {
            // the server closes this connection: commands queued behind that decision must have no effect
            return Future.succeededFuture();
        }
        return switch (step.kind()) {
            case CONNECT -> relay == null ? serving.greet()
                    : relay.connect().compose(connected -> connected
                            ? serving.greet()
                            : Future.succeededFuture());
            case COMMAND -> command(step.frame());
            case RAW_LINES -> serving.rawLines(rawBatches.poll());
            case BACKEND_REPLY -> relay.relayReply(step.frame());
            case PASS_TO_BACKEND -> {
                relay.passOn(step.frame());
                yield Future.succeededFuture();
            }
            case WRITE -> write(step.reply(), step.reason());
            case CLIENT_DONE -> clientDone();
            case BACKEND_DONE -> backendDone();
            case CLOSE -> handleClose();
        };
    }

    private Future<Void> command(Frame frame) {
        return relay == null ? serving.handleLine(frame.text()) : relay.relayCommand(frame);
    }

    private Future<Void> clientDone() {
        flush();
        if (relay != null) {
            // everything the client sent before its half-close was forwarded: pass the half-close on
            if (relay.clientDone()) {
                closeWith(CloseReason.CLIENT_CLOSED);
            }
        } else {
            // every line the client sent has been answered
            closeWith(CloseReason.CLIENT_CLOSED);
        }
        return Future.succeededFuture();
    }

    /**
     * The backend sends no more. Every reply it sent has been written; the connection closes: a backend ending its
     * side has almost always gone (closed, crashed, killed), and a client must not wait on a proxy that cannot answer.
     */
    private Future<Void> backendDone() {
        closeWith(clientInputShut ? CloseReason.CLIENT_CLOSED : CloseReason.BACKEND_CLOSED);
        return Future.succeededFuture();
    }

    private Future<Void> handleClose() {
        idleTimer.cancel();
        if (relay != null) {
            relay.close();
        }
        return hookCalls.closeHook().andThen(ignored -> {
            flushTally();
            server.connectionClosed(this);
            runtime.metrics().closed(closeReason);
            server.log().debugf("[%s] connection %s from %s closed (%s), %d bytes in, %d bytes out", server.name(), id,
                    socket.remoteAddress(), closeReason, bytesIn, bytesOut);
            closed.tryComplete();
        });
    }

    // ---- output and closing

    Future<Void> write(Reply reply, CloseReason closingReason) {
        if (!reply.lines().isEmpty()) {
            writeLines(reply.lines());
        }
        if (reply.closeAfter()) {
            closeWith(closingReason != null ? closingReason : CloseReason.CLOSED_BY_HOOK);
        }
        return Future.succeededFuture();
    }

    private void writeLines(List<String> lines) {
        if (!open) {
            return;
        }
        int written = toClient.lines(lines, runtime.charset());
        bytesOut += written;
        tally().bytesOut(written);
    }

    /** Queues bytes for the client; {@link #flush()} writes them. */
    void writeRaw(Buffer buffer) {
        if (!open) {
            return;
        }
        bytesOut += buffer.length();
        tally().bytesOut(buffer.length());
        toClient.raw(buffer);
    }

    /** @return this connection's counts since its last write, made at the first count */
    CommandTally tally() {
        CommandTally current = tally;
        if (current == null) {
            current = new CommandTally(server);
            tally = current;
        }
        return current;
    }

    private void flushTally() {
        if (tally != null) {
            tally.flush();
        }
    }

    /**
     * Writes what the steps queued for each peer, one write per peer: a pipelining client's commands reach the
     * backend, and their replies the client, in one write and one flush each instead of one per command. Called
     * once a read is decoded, whenever the step queue goes idle or waits outside a read, and before any close or
     * half-close.
     */
    private void flush() {
        // the counts first: whoever reads the statistics after a reply sees the command that it answers
        flushTally();
        ByteBuf replies = toClient.take();
        if (replies != null) {
            writeToClient(replies);
        }
        if (relay != null) {
            relay.flush();
        }
        updateReading();
    }

    /** Hands a batch to Netty, which releases it once written (or failed); a closed connection releases it here. */
    private void writeToClient(ByteBuf batch) {
        if (open) {
            ((NetSocketInternal) socket).writeMessage(batch);
        } else {
            batch.release();
        }
    }

    /**
     * Closes the connection once what was written is flushed; nothing queued after this is acted on. The first
     * reason given is the one hooks see.
     */
    void closeWith(CloseReason reason) {
        flush();
        closing = true;
        acceptingInput = false;
        if (closeReason == null) {
            closeReason = reason;
        }
        if (!open) {
            return;
        }
        if (clientInputShut) {
            socket.close();
        } else {
            LingeringClose.close(((NetSocketInternal) socket).channelHandlerContext().channel(),
                    runtime.config().lingerTimeout(), this::onSocketClosed);
        }
    }

    /**
     * Stops reading from the client, lets the steps already received run (their replies are flushed), then closes
     * with the given reason. Callable from any thread.
     *
     * @param reason what the close hook sees
     * @return completes once the close hook has run
     */
    Future<Void> drainOnItsLoop(CloseReason reason) {
        context.runOnContext(ignored -> {
            drainReason = reason;
            acceptingInput = false;
            runSteps();
        });
        return closed.future();
    }

    /**
     * Closes the connection from any thread.
     *
     * @param reason what the close hook sees
     * @return completes once the close hook has run
     */
    Future<Void> closeOnItsLoop(CloseReason reason) {
        context.runOnContext(ignored -> closeWith(reason));
        return closed.future();
    }

    /** The connection is over for its hooks: closed, or no longer able to write while it lingers. */
    private void onSocketClosed() {
        if (closeQueued) {
            return;
        }
        closeQueued = true;
        open = false;
        if (closeReason == null) {
            closeReason = CloseReason.CLIENT_CLOSED;
        }
        // commands already received are still handled (their replies are dropped), then the close hook runs
        enqueue(Step.CLOSE);
    }

    private void onSocketFailure(Throwable failure) {
        if (closeReason == null) {
            closeReason = CloseReason.ERROR;
        }
        server.log().debugf(failure, "[%s] connection %s failed", server.name(), id);
    }

    private void idle(long idleForNanos) {
        server.log().debugf("[%s] connection %s idle for %d ms, closing", server.name(), id,
                TimeUnit.NANOSECONDS.toMillis(idleForNanos));
        closeWith(CloseReason.IDLE_TIMEOUT);
    }

    /** Runs an action on this connection's event loop, at once when already there. */
    private void onEventLoop(Runnable action) {
        if (Thread.currentThread() == eventLoopThread) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    String clientIp() {
        return clientIp;
    }

    ProtocolServer server() {
        return server;
    }

    /** @return what the connection runs with for the step at work */
    ProtocolRuntime runtime() {
        return runtime;
    }

    Context context() {
        return context;
    }

    HookCalls hookCalls() {
        return hookCalls;
    }

    CommandServing serving() {
        return serving;
    }

    /** @return the proxy side, or {@code null} on a connection that serves its clients itself */
    ProxyRelay relay() {
        return relay;
    }

    /** @return whether the server decided to close: what was received after that is not acted on */
    boolean closing() {
        return closing;
    }

    /** Nothing the client sends from now on is acted on. */
    void stopAcceptingInput() {
        acceptingInput = false;
    }

    /** Counts a fault of a raw line, for {@code Session.rawLineFaults()}. */
    void rawFault(boolean tooLong) {
        session.rawFault(tooLong);
    }

    /** @return why the connection closed, once it did (what the close hook sees) */
    CloseReason closeReason() {
        return closeReason;
    }

    // ---- what the session asks of the connection

    /** @return the connection as its hooks see it */
    Session session() {
        return session;
    }

    String id() {
        return id;
    }

    NetSocket socket() {
        return socket;
    }

    /** Writes lines from a hook, from any thread; flushed at once unless a step is at work. */
    void send(List<String> lines) {
        onEventLoop(() -> {
            writeLines(lines);
            if (!running) {
                flush();
            }
        });
    }

    /** Closes from any thread, as a hook asked. */
    void closeFromHook() {
        onEventLoop(() -> closeWith(CloseReason.CLOSED_BY_HOOK));
    }

    boolean isOpen() {
        return open;
    }

    /** @return whether the session reads raw lines now */
    boolean readsRawLines() {
        return session.readsRawLines();
    }

    /** Starts every sequence over, on the event loop. */
    void resetSequences() {
        onEventLoop(serving::resetSequences);
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    @Override
    public String toString() {
        return server.name() + " connection " + id + " from " + socket.remoteAddress();
    }
}
