package io.smprotocol.runtime.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.smprotocol.CloseReason;
import io.smprotocol.Frame;
import io.smprotocol.Reply;
import io.smprotocol.Session;
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
 * This class keeps the queue and what each step is, reading, flushing and closing. Running the steps one at a time is
 * {@link StepQueue}'s; framing what the client sends into steps is {@link ClientInput}'s; batching and counting what
 * goes to the client is {@link ClientOutput}'s. What a proxy does with each step is {@link ProxyRelay}'s (the backend
 * link, the relay both ways and the replies owed), what the hooks of a connection that serves its clients do with
 * each command, line and batch of raw lines is {@link CommandServing}'s, and calling a hook is {@link HookCalls}'.
 */
final class Connection implements StepQueue.Runner, IdleSweep.Watched {

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
    private final StepQueue steps = new StepQueue(this);
    /** Calling the hooks that serve commands, lines and raw lines. */
    private final CommandServing serving;
    private final ConnectionSession session = new ConnectionSession(this);
    /** The idle timeout the connection started with; zero or less: none. */
    private final long idleTimeoutNanos;
    private final Promise<Void> closed = Promise.promise();

    /** Framing what the client sends into steps. */
    private final ClientInput input;
    /** What goes to the client, and the counts since it last went. */
    private final ClientOutput output;
    private Thread eventLoopThread;
    private boolean readPaused;
    /** The server decided to close: what the client sent after that decision is not acted on. */
    private boolean closing;
    private boolean clientInputShut;
    private volatile boolean open = true;
    private boolean closeQueued;
    private volatile long bytesIn;
    private CloseReason closeReason;
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
        NetSocketInternal internal = (NetSocketInternal) socket;
        this.output = new ClientOutput(server, internal);
        this.relay = config.proxies() ? new ProxyRelay(this, server, internal.channelHandlerContext().alloc()) : null;
        this.input = new ClientInput(this, runtime, config.proxies());
        this.serving = new CommandServing(this);
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
    }

    /** Wires the socket and runs the connect step. Called on the connection's event loop. */
    void start() {
        eventLoopThread = Thread.currentThread();
        lastActivity = System.nanoTime();
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
        if (idleTimeoutNanos > 0) {
            IdleSweep.watch(internal.channelHandlerContext().channel().eventLoop(), this, idleTimeoutNanos);
        }
        server.log().debugf("[%s] connection %s opened from %s", server.name(), id, socket.remoteAddress());
        enqueue(Step.CONNECT);
    }

    // ---- input

    private void onData(Buffer data) {
        bytesIn += data.length();
        runtime.metrics().bytesIn(data.length());
        lastActivity = clock = System.nanoTime();
        if (!input.accepting()) {
            return;
        }
        if (relay != null && relay.passingThrough()) {
            relay.passThrough(data);
            flush();
            return;
        }
        decoding = true;
        try {
            input.decode(data);
        } finally {
            decoding = false;
        }
        flush();
    }

    /**
     * The backend answered a command (proxy): the command decoder learns of it.
     *
     * @return {@code false} once the connection stops following its codec and must pass through
     */
    boolean commandAnswered(String verb, boolean error) {
        return input.commandAnswered(verb, error);
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
        if (drainReason != null && steps.idle() && relay.owesNothing()) {
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
        arrived(Step.Kind.BACKEND_REPLY, frame, null);
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
     * A command (a line, or a frame) or a backend reply arrived. It runs at once when no step runs or waits, the
     * connection is not closing, and no live reload has to run first: the usual case, which spares a pipelining
     * client a step object and two queue operations per command. Else it waits its turn.
     */
    void arrived(Step.Kind kind, Frame frame, String line) {
        if (steps.idle() && !closing && !HotReplacementTrigger.active()) {
            steps.runAtOnce(kind, frame, line);
        } else {
            enqueue(Step.of(kind, frame != null ? frame : new Frame(null, line)));
        }
    }

    @Override
    public Future<Void> runUnqueued(Step.Kind kind, Frame frame, String line) {
        runtime = server.runtime();
        if (kind == Step.Kind.BACKEND_REPLY) {
            return relay.relayReply(frame);
        }
        return line != null ? serving.handleLine(line) : command(frame);
    }

    void enqueue(Step step) {
        if (steps.idle()) {
            // the usual case, a connect or a reply the framework writes: no queue is made for it
            steps.runNow(step);
            return;
        }
        steps.add(step);
        updateReading();
        steps.run();
    }

    /** @return the step queued last, or {@code null} when none waits */
    Step lastQueued() {
        return steps.last();
    }

    @Override
    public void waiting() {
        flush();
    }

    @Override
    public void drained() {
        if (!decoding) {
            flush();
        }
        // a draining proxy also waits for the replies to the commands it forwarded
        if (drainReason != null && (relay == null || relay.owesNothing())) {
            closeWith(drainReason);
        }
        updateReading();
    }

    @Override
    public void failed(Throwable failure) {
        server.log().errorf(failure, "[%s] connection %s: unexpected failure", server.name(), id);
    }

    /** Pauses both peers while too much waits, resumes them when it has gone. */
    void updateReading() {
        if (!open) {
            return;
        }
        boolean backlog = steps.full() || input.backlogged()
                || socket.writeQueueFull()
                || relay != null && relay.writeQueueFull();
        if (backlog && !readPaused) {
            reading(false);
        } else if (readPaused && !backlog && steps.caughtUp()) {
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

    @Override
    public Future<Void> run(Step step) {
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
            case RAW_LINES -> serving.rawLines(input.nextRawBatch());
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
        if (relay != null) {
            relay.close();
        }
        return hookCalls.closeHook().andThen(ignored -> {
            output.flushTally();
            server.connectionClosed(this);
            runtime.metrics().closed(closeReason);
            server.log().debugf("[%s] connection %s from %s closed (%s), %d bytes in, %d bytes out", server.name(), id,
                    socket.remoteAddress(), closeReason, bytesIn, output.bytesOut());
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
        if (open) {
            output.lines(lines, runtime.charset());
        }
    }

    /** Queues bytes for the client; {@link #flush()} writes them. */
    void writeRaw(Buffer buffer) {
        if (open) {
            output.raw(buffer);
        }
    }

    /** @return this connection's counts since its last write */
    CommandTally tally() {
        return output.tally();
    }

    /**
     * Writes what the steps queued for each peer, one write per peer: a pipelining client's commands reach the
     * backend, and their replies the client, in one write and one flush each instead of one per command. Called
     * once a read is decoded, whenever the step queue goes idle or waits outside a read, and before any close or
     * half-close.
     */
    private void flush() {
        output.flush(open);
        if (relay != null) {
            relay.flush();
        }
        updateReading();
    }

    /**
     * Closes the connection once what was written is flushed; nothing queued after this is acted on. The first
     * reason given is the one hooks see.
     */
    void closeWith(CloseReason reason) {
        flush();
        closing = true;
        input.stop();
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
            input.stop();
            steps.run();
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

    @Override
    public boolean sweep(long now) {
        if (!open) {
            return false;
        }
        if (!steps.idle()) {
            // a hook at work is not the client's idleness
            lastActivity = now;
            return true;
        }
        long idleFor = now - lastActivity;
        if (idleFor < idleTimeoutNanos) {
            return true;
        }
        server.log().debugf("[%s] connection %s idle for %d ms, closing", server.name(), id,
                TimeUnit.NANOSECONDS.toMillis(idleFor));
        closeWith(CloseReason.IDLE_TIMEOUT);
        return false;
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
        input.stop();
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
            if (!steps.running()) {
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
        return output.bytesOut();
    }

    @Override
    public String toString() {
        return server.name() + " connection " + id + " from " + socket.remoteAddress();
    }
}
