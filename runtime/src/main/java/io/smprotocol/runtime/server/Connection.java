package io.smprotocol.runtime.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.runtime.config.LineTooLongAction;
import io.smprotocol.runtime.devmode.HotReplacementTrigger;
import io.smprotocol.runtime.hook.HookExecutor;
import io.smprotocol.runtime.hook.HookMethod;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One client connection of a text protocol.
 * <p>
 * Everything that happens to a connection (connect, each line, replies the framework sends, close) becomes a step in
 * one queue, run one at a time in arrival order; so hooks of a connection never overlap and replies keep the order of
 * the lines they answer, whatever thread each hook runs on. Reading pauses while too many steps wait or the client
 * does not read its replies, so memory stays bounded. All state is confined to the connection's event loop.
 */
final class Connection implements Session, FrameListener {

    /** Steps waiting above which reading pauses. */
    private static final int PAUSE_AT = 64;
    /** Steps waiting at or below which reading resumes. */
    private static final int RESUME_AT = 16;

    private enum StepKind {
        CONNECT,
        LINE,
        REPLY,
        CLOSE
    }

    private record Step(StepKind kind, Reply reply, String line) {
        static final Step CONNECT = new Step(StepKind.CONNECT, null, null);
        static final Step CLOSE = new Step(StepKind.CLOSE, null, null);
    }

    private final ProtocolServer server;
    private final NetSocket socket;
    private final Context context;
    private final String id;
    private final Instant connectedAt = Instant.now();
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final LineFramer framer;
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    private final List<SequenceTracker> sequences;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final long idleTimeoutNanos;

    private Thread eventLoopThread;
    private boolean running;
    private boolean readPaused;
    private boolean acceptingInput = true;
    private volatile boolean open = true;
    private volatile boolean rawLines;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private CloseReason closeReason;
    /** Set when the protocol drains: close with this reason as soon as no step is left. */
    private CloseReason drainReason;
    private long lastActivity;
    private final Promise<Void> closed = Promise.promise();

    Connection(ProtocolServer server, NetSocket socket, Context context, String id) {
        this.server = server;
        this.socket = socket;
        this.context = context;
        this.id = id;
        this.remoteAddress = new InetSocketAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
        this.localAddress = new InetSocketAddress(socket.localAddress().hostAddress(), socket.localAddress().port());
        this.framer = new LineFramer(server.config().lineEnding(), server.config().maxLineLength(), server.charset(),
                this);
        List<SequenceTracker> trackers = new ArrayList<>();
        for (HookMethod hook : server.hooks().sequences()) {
            trackers.add(new SequenceTracker(hook));
        }
        this.sequences = trackers;
        this.idleTimeoutNanos = server.config().idleTimeout().toNanos();
    }

    /** Wires the socket and runs the connect hook. Called on the connection's event loop. */
    void start() {
        eventLoopThread = Thread.currentThread();
        lastActivity = System.nanoTime();
        socket.handler(this::onData);
        socket.closeHandler(ignored -> onSocketClosed());
        socket.exceptionHandler(this::onSocketFailure);
        socket.drainHandler(ignored -> updateReading());
        armIdleTimer(idleTimeoutNanos);
        server.log().debugf("[%s] connection %s opened from %s", server.name(), id, remoteAddress);
        enqueue(Step.CONNECT);
    }

    // ---- input

    private void onData(Buffer data) {
        bytesIn += data.length();
        server.metrics().bytesIn(data.length());
        lastActivity = System.nanoTime();
        if (acceptingInput) {
            framer.feed(data);
        }
    }

    @Override
    public void onLine(String line) {
        enqueue(new Step(StepKind.LINE, null, line));
    }

    @Override
    public void onLineTooLong() {
        boolean close = server.config().lineTooLongAction() == LineTooLongAction.CLOSE;
        if (close) {
            // nothing the client sends after this is read
            acceptingInput = false;
        }
        String reply = server.config().replies().lineTooLong();
        enqueue(new Step(StepKind.REPLY, close ? Reply.close(reply) : Reply.of(reply), null));
    }

    @Override
    public void onBareLineEnding() {
        enqueue(new Step(StepKind.REPLY, Reply.of(server.config().replies().protocolError()), null));
    }

    // ---- the serial step queue

    private void enqueue(Step step) {
        steps.add(step);
        updateReading();
        runSteps();
    }

    private void runSteps() {
        while (!running) {
            Step step = steps.poll();
            if (step == null) {
                if (drainReason != null) {
                    closeWith(drainReason);
                }
                updateReading();
                return;
            }
            running = true;
            Future<Void> done = run(step);
            if (done.isComplete()) {
                // finished synchronously: loop instead of recursing, a pipelining client can queue many lines
                running = false;
                logIfFailed(done);
            } else {
                done.onComplete(result -> {
                    running = false;
                    logIfFailed(result.failed() ? Future.failedFuture(result.cause()) : Future.succeededFuture());
                    runSteps();
                });
                return;
            }
        }
    }

    private void logIfFailed(Future<Void> done) {
        if (done.failed()) {
            server.log().errorf(done.cause(), "[%s] connection %s: unexpected failure", server.name(), id);
        }
    }

    private void updateReading() {
        if (!open) {
            return;
        }
        boolean mustPause = steps.size() >= PAUSE_AT || socket.writeQueueFull();
        if (mustPause && !readPaused) {
            readPaused = true;
            socket.pause();
        } else if (readPaused && steps.size() <= RESUME_AT && !socket.writeQueueFull()) {
            readPaused = false;
            socket.resume();
        }
    }

    private Future<Void> run(Step step) {
        if (HotReplacementTrigger.active() && (step.kind() == StepKind.CONNECT || step.kind() == StepKind.LINE)) {
            // quarkus dev: changed hooks become live before this client is greeted or this line is handled
            return HotReplacementTrigger.beforeTraffic(context).compose(ignored -> runNow(step));
        }
        return runNow(step);
    }

    private Future<Void> runNow(Step step) {
        return switch (step.kind()) {
            case CONNECT -> server.hooks().connect()
                    .map(hook -> call(hook, null, null, null).compose(this::write))
                    .orElse(Future.succeededFuture());
            case LINE -> handleLine(step.line());
            case REPLY -> write(step.reply());
            case CLOSE -> handleClose();
        };
    }

    private Future<Void> handleLine(String line) {
        server.countLine();
        server.metrics().line();
        Optional<HookMethod> lineHook = server.hooks().line();
        if (rawLines) {
            return lineHook.map(hook -> call(hook, null, line, null).compose(this::write))
                    .orElse(Future.succeededFuture());
        }
        Command command = Command.parse(line);
        HookMethod hook = server.hooks().command(command.verb());
        server.metrics().command(hook == null ? null : hook.verb());
        if (hook == null) {
            hook = lineHook.orElse(null);
        }
        Future<Void> handled = hook == null
                ? write(Reply.of(server.config().replies().unknownCommand()))
                : call(hook, command, line, null).compose(this::write);
        if (sequences.isEmpty() || command.verb().isEmpty()) {
            return handled;
        }
        return handled.compose(ignored -> runSequences(command));
    }

    private Future<Void> runSequences(Command command) {
        Future<Void> chain = Future.succeededFuture();
        for (SequenceTracker tracker : sequences) {
            if (tracker.advance(command.verb())) {
                chain = chain.compose(ignored -> call(tracker.hook(), command, command.line(), null))
                        .compose(this::write);
            }
        }
        return chain;
    }

    private Future<Void> handleClose() {
        Future<Void> closeHook = server.hooks().close()
                .map(hook -> HookExecutor.invoke(hook, arguments(hook, null, null, null), context)
                        .<Void> mapEmpty()
                        .recover(failure -> {
                            server.log().errorf(failure, "[%s] %s failed", server.name(), hook.description());
                            return Future.succeededFuture();
                        }))
                .orElse(Future.succeededFuture());
        return closeHook.andThen(ignored -> {
            server.connectionClosed(this);
            server.metrics().closed(closeReason);
            server.log().debugf("[%s] connection %s from %s closed (%s), %d bytes in, %d bytes out", server.name(), id,
                    remoteAddress, closeReason, bytesIn, bytesOut);
            closed.tryComplete();
        });
    }

    // ---- hooks

    /** Runs a hook; a failure goes to the error hook or becomes the configured error reply. */
    private Future<Reply> call(HookMethod hook, Command command, String line, Throwable failure) {
        long started = System.nanoTime();
        return HookExecutor.invoke(hook, arguments(hook, command, line, failure), context)
                .andThen(ignored -> server.metrics().hookDuration(hook.description(), System.nanoTime() - started))
                .map(Replies::from)
                .recover(this::onHookFailure);
    }

    private Future<Reply> onHookFailure(Throwable failure) {
        server.metrics().hookFailed();
        Optional<HookMethod> errorHook = server.hooks().error();
        if (errorHook.isEmpty()) {
            server.log().errorf(failure, "[%s] a hook failed on connection %s", server.name(), id);
            return Future.succeededFuture(Reply.of(server.config().replies().error()));
        }
        HookMethod hook = errorHook.get();
        return HookExecutor.invoke(hook, arguments(hook, null, null, failure), context)
                .map(Replies::from)
                .recover(secondFailure -> {
                    secondFailure.addSuppressed(failure);
                    server.log().errorf(secondFailure, "[%s] %s failed", server.name(), hook.description());
                    return Future.succeededFuture(Reply.of(server.config().replies().error()));
                });
    }

    private Object[] arguments(HookMethod hook, Command command, String line, Throwable failure) {
        Object[] arguments = new Object[hook.arguments().size()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = switch (hook.arguments().get(i)) {
                case SESSION -> this;
                case COMMAND -> command != null ? command : line != null ? Command.parse(line) : null;
                case LINE -> line;
                case CLOSE_REASON -> closeReason;
                case THROWABLE -> failure;
            };
        }
        return arguments;
    }

    // ---- output and closing

    private Future<Void> write(Reply reply) {
        if (!reply.lines().isEmpty()) {
            writeLines(reply.lines());
        }
        if (reply.close()) {
            closeWith(CloseReason.CLOSED_BY_HOOK);
        }
        return Future.succeededFuture();
    }

    private void writeLines(List<String> lines) {
        if (!open) {
            return;
        }
        Buffer buffer = Buffer.buffer();
        for (String line : lines) {
            buffer.appendString(line, server.charset().name()).appendByte((byte) '\r').appendByte((byte) '\n');
        }
        bytesOut += buffer.length();
        server.metrics().bytesOut(buffer.length());
        socket.write(buffer);
        updateReading();
    }

    /** Closes the connection once what was written is flushed. The first reason given is the one hooks see. */
    void closeWith(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (open) {
            socket.close();
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

    private void onSocketClosed() {
        open = false;
        if (closeReason == null) {
            closeReason = CloseReason.CLIENT_CLOSED;
        }
        // lines already received are still handled (their replies are dropped), then the close hook runs
        enqueue(Step.CLOSE);
    }

    private void onSocketFailure(Throwable failure) {
        if (closeReason == null) {
            closeReason = CloseReason.ERROR;
        }
        server.log().debugf(failure, "[%s] connection %s failed", server.name(), id);
    }

    private void armIdleTimer(long delayNanos) {
        if (idleTimeoutNanos <= 0) {
            return;
        }
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), ignored -> checkIdle());
    }

    private void checkIdle() {
        if (!open) {
            return;
        }
        if (running || !steps.isEmpty()) {
            // a hook at work is not the client's idleness
            armIdleTimer(idleTimeoutNanos);
            return;
        }
        long idleFor = System.nanoTime() - lastActivity;
        if (idleFor >= idleTimeoutNanos) {
            server.log().debugf("[%s] connection %s idle for %d ms, closing", server.name(), id,
                    TimeUnit.NANOSECONDS.toMillis(idleFor));
            closeWith(CloseReason.IDLE_TIMEOUT);
        } else {
            armIdleTimer(idleTimeoutNanos - idleFor);
        }
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
        return remoteAddress.getAddress().getHostAddress();
    }

    // ---- Session

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return server.name();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public void send(String... lines) {
        List<String> copy = List.of(lines);
        onEventLoop(() -> writeLines(copy));
    }

    @Override
    public void close() {
        onEventLoop(() -> closeWith(CloseReason.CLOSED_BY_HOOK));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void startRawLines() {
        rawLines = true;
    }

    @Override
    public void stopRawLines() {
        rawLines = false;
    }

    @Override
    public boolean readsRawLines() {
        return rawLines;
    }

    @Override
    public void resetSequences() {
        onEventLoop(() -> sequences.forEach(SequenceTracker::reset));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(String name) {
        return Optional.ofNullable((T) attributes.get(name));
    }

    @Override
    public void attribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public String toString() {
        return server.name() + " connection " + id + " from " + remoteAddress;
    }
}
