package io.smprotocol.runtime.server;

import java.util.Optional;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.smprotocol.CloseReason;
import io.smprotocol.Codec;
import io.smprotocol.Command;
import io.smprotocol.Frame;
import io.smprotocol.Relay;
import io.smprotocol.Reply;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.hook.HookMethod;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The proxy side of a client connection: the link to the backend, the commands relayed to it (as the hooks decide),
 * the replies relayed back, and the replies still owed, in order. The connection runs each of these as a step of its
 * queue; this class decides what goes where. Confined to the connection's event loop.
 */
final class ProxyRelay {

    /** The verb under which bytes the codec could not parse are counted. */
    static final String UNPARSED = "UNPARSED";

    private final Connection connection;
    private final ProtocolServer server;
    /** The codec the connection started with: its decoders keep their state across a reload. */
    private final Codec codec;
    private final BackendLink backend = new BackendLink();
    private final OwedReplies owed = new OwedReplies();
    /**
     * Finds reply ends in the bytes relayed as they arrive; {@code null} where the codec has none or an
     * {@code @OnReply} hook needs whole replies, which {@link #replyDecoder} then frames.
     */
    private final Codec.ReplyScanner replyScanner;
    private final Codec.Decoder replyDecoder;
    /** What goes to the backend at the next flush. */
    private final OutboundBatch toBackend;
    private boolean backendInputShut;
    /**
     * The backend sent what its codec does not describe (a replication stream after {@code SYNC}), or the protocol
     * switched (SMTP's {@code STARTTLS}): from then on bytes pass both ways unread, and no reply is paired any more.
     */
    private boolean passingThrough;
    /** Whether the pieces of a command passed on in pieces go to the backend: its first frame was forwarded. */
    private boolean forwardingPieces = true;
    /** Whether the pieces of a reply passed on in pieces go to the client: an {@code @OnReply} hook forwarded its head. */
    private boolean forwardingReplyPieces = true;
    /** The client sent bytes the codec could not parse: they and all that follows are forwarded unchanged. */
    private boolean unparsed;
    /** A reply being scanned made the codec stop: the connection passes through once the read is relayed. */
    private boolean switching;
    /** The reply being scanned started at this index of the buffer scanned. */
    private int scannedFrom;
    private Buffer scanned;

    ProxyRelay(Connection connection, ProtocolServer server, ByteBufAllocator allocator) {
        this.connection = connection;
        this.server = server;
        ProtocolRuntime runtime = connection.runtime();
        this.codec = runtime.codec();
        Codec.ReplyScanner scanner = codec.replyScanner();
        if (runtime.hooks().reply().isEmpty()) {
            this.replyScanner = scanner;
            this.replyDecoder = scanner == null
                    ? codec.decoder(true, runtime.config().maxLineLength(), runtime.charset())
                    : null;
        } else {
            // hooks read whole replies: framed where the scanner ends them, so any size and depth still passes
            this.replyScanner = null;
            this.replyDecoder = scanner != null
                    ? new ScannedReplies(scanner, runtime.config().maxLineLength(), runtime.charset())
                    : codec.decoder(true, runtime.config().maxLineLength(), runtime.charset());
        }
        this.toBackend = new OutboundBatch(allocator);
    }

    /** @return whether the backend was reached; if not, the client was answered and is being closed */
    Future<Boolean> connect() {
        ProtocolRuntime runtime = connection.runtime();
        ProtocolConfig config = runtime.config();
        String host = config.forward().host().orElseThrow();
        int port = config.forward().port().orElseThrow();
        return backend.connect(runtime.backendClient(), host, port, connection::onBackendData,
                () -> {
                    if (!backendInputShut) {
                        backendInputShut = true;
                        connection.backendSendsNoMore();
                    }
                },
                connection::backendClosed,
                connection::updateReading)
                .map(true)
                .recover(failure -> {
                    server.backendUnavailable(failure);
                    Reply refusal = config.replies().backendUnavailable().map(Reply::close).orElse(Reply.close());
                    return connection.write(refusal, CloseReason.BACKEND_CLOSED).map(false);
                });
    }

    // ---- client to backend

    Future<Void> relayCommand(Frame frame) {
        // the pieces that may follow go on only if this first frame does
        forwardingPieces = false;
        CommandTally tally = connection.tally();
        tally.line();
        Command command = Command.parse(frame.text());
        HookMethod hook = connection.runtime().hooks().command(command.verb());
        String verb = tally.received(hook != null ? hook.verb() : command.verb(), frame.bytes().length(),
                hook != null);
        if (hook == null) {
            hook = connection.runtime().hooks().line().orElse(null);
        }
        Future<Void> relayed = hook == null
                ? forward(frame, verb)
                : Futures.then(connection.hookCalls().call(hook, command, frame.text(), null),
                        result -> relayCommandOutcome(frame, verb, result));
        return connection.serving().sequencesAfter(relayed, command);
    }

    private Future<Void> relayCommandOutcome(Frame frame, String verb, Object result) {
        if (result == null) {
            return forward(frame, verb);
        }
        if (result instanceof Relay relay) {
            switch (relay.action()) {
                case FORWARD -> {
                    return forward(frame, verb);
                }
                case REPLACE -> {
                    toBackend.raw(codec.encode(relay.lines(), false, connection.runtime().charset()));
                    for (String line : relay.lines()) {
                        if (codec.expectsReply(new Frame(null, line))) {
                            expect(server.statistics().bounded(Command.parse(line).verb()));
                        }
                    }
                    return Future.succeededFuture();
                }
                default -> {
                    return Future.succeededFuture();
                }
            }
        }
        // the hook answered the client itself: the command does not reach the backend, and the answer keeps its
        // place after the replies still owed for earlier commands
        Reply answer = Replies.from(result);
        if (owed.answer(answer)) {
            return connection.write(answer, null);
        }
        return Future.succeededFuture();
    }

    private Future<Void> forward(Frame frame, String verb) {
        if (codec.expectsReply(frame)) {
            // a command the backend does not answer (an empty line, memcached's noreply) must not shift every pairing
            expect(verb);
        }
        forwardingPieces = true;
        toBackend.raw(frame.bytes());
        return Future.succeededFuture();
    }

    private void expect(String verb) {
        if (!passingThrough) {
            owed.expect(verb, connection.now(), this::writeAnswer);
        }
    }

    /**
     * Bytes the hooks do not read: a piece of a command too long to read whole, which follows its first frame to
     * the backend (or is dropped with it), or bytes the codec could not parse, forwarded unchanged for the backend
     * to answer; such bytes count as one command, {@value #UNPARSED}.
     */
    void passOn(Frame frame) {
        if (frame.unparsed()) {
            if (!unparsed) {
                unparsed = true;
                CommandTally tally = connection.tally();
                expect(tally.received(UNPARSED, frame.bytes().length(), true));
            }
            toBackend.raw(frame.bytes());
        } else if (forwardingPieces) {
            toBackend.raw(frame.bytes());
        }
    }

    /** The client's bytes while the connection passes through: they go on unread. */
    void passThrough(Buffer data) {
        toBackend.raw(data);
    }

    /** @return whether the connection passes bytes through unread, both ways, from now on */
    boolean passingThrough() {
        return passingThrough;
    }

    /** What a sequence hook returns in proxy mode: a reply goes to the client, anything else is ignored. */
    Future<Void> answerOrIgnore(Object result) {
        return result instanceof Relay ? Future.succeededFuture() : connection.write(Replies.from(result), null);
    }

    // ---- backend to client

    /**
     * Relays what the backend sent. With a scanner, the bytes go to the client at once, whole, the scanner only
     * pairing the replies that end in them with the commands owed; without, they are framed into replies, each of
     * which the connection relays in turn.
     */
    void onBackendData(Buffer data) {
        if (passingThrough) {
            connection.writeRaw(data);
        } else if (replyScanner != null) {
            scanReplies(data);
        } else {
            decodeReplies(data);
        }
    }

    private void scanReplies(Buffer data) {
        scanned = data;
        scannedFrom = 0;
        boolean understood;
        try {
            understood = replyScanner.scan(data, this::replyEnded);
        } finally {
            scanned = null;
        }
        if (scannedFrom < data.length()) {
            // the start of a reply not complete yet: it goes on now, not when the rest of it has come
            connection.writeRaw(scannedFrom == 0 ? data : data.slice(scannedFrom, data.length()));
        }
        if (!understood) {
            passThrough("the backend sent what is not a reply");
        } else if (switching) {
            passThrough("the protocol switched");
        }
    }

    /** From now on the connection's bytes pass both ways unread: they no longer follow the codec. */
    private void passThrough(String why) {
        passingThrough = true;
        switching = false;
        server.passThroughStarted();
        server.log().debugf("[%s] connection %s: %s; passing through", server.name(), connection.id(), why);
        // nothing is paired from now on: answers held behind owed replies go now
        while (!owed.isEmpty()) {
            OwedReplies.Owed left = owed.replied();
            if (!left.fromBackend()) {
                writeAnswer(left.answer());
            }
        }
    }

    /** Pairs a reply with the command it answers, and tells the command decoder. */
    private void paired(OwedReplies.Owed paired, boolean error) {
        connection.tally().answered(paired.verb(), connection.now() - paired.sentAt(), error);
        if (!connection.commandAnswered(paired.verb(), error)) {
            // the reply still reaches the client as it is; what follows it passes through
            switching = true;
        }
    }

    private void replyEnded(int end, boolean error) {
        OwedReplies.Owed paired = owed.replied();
        if (paired != null) {
            paired(paired, error);
        }
        if (!owed.isEmpty() && !owed.peekFromBackend()) {
            // a hook's answer is owed right after this reply: the reply goes first, cut where it ends
            connection.writeRaw(scanned.slice(scannedFrom, end));
            scannedFrom = end;
            releaseAnswers();
        }
    }

    /** Splits what the backend sent into replies, each of which the connection relays in turn. */
    private void decodeReplies(Buffer data) {
        try {
            replyDecoder.decode(data, connection::onBackendFrame);
        } catch (RuntimeException e) {
            server.log().debugf(e, "[%s] connection %s: unreadable backend reply", server.name(), connection.id());
            connection.backendClosed();
        }
    }

    Future<Void> relayReply(Frame frame) {
        if (frame.text() == null) {
            // a piece of a reply too large to hold: it follows its first frame, or is dropped with it
            if (forwardingReplyPieces) {
                connection.writeRaw(frame.bytes());
            }
            return Future.succeededFuture();
        }
        forwardingReplyPieces = true;
        OwedReplies.Owed paired = owed.replied();
        if (paired != null) {
            paired(paired, codec.isError(frame.text()));
            if (switching) {
                passThrough("the protocol switched");
            }
        }
        Optional<HookMethod> replyHook = connection.runtime().hooks().reply();
        if (replyHook.isEmpty()) {
            connection.writeRaw(frame.bytes());
            releaseAnswers();
            return Future.succeededFuture();
        }
        return Futures.then(connection.hookCalls().call(replyHook.get(), null, frame.text(), null), result -> {
            Future<Void> written = passReply(frame, result);
            releaseAnswers();
            return written;
        });
    }

    /** Writes a backend reply as an {@code @OnReply} hook decided. */
    private Future<Void> passReply(Frame frame, Object result) {
        if (result == null || result instanceof Relay relay && relay.action() == Relay.Action.FORWARD) {
            connection.writeRaw(frame.bytes());
            return Future.succeededFuture();
        }
        // the reply is replaced, dropped or answered instead: the rest of a large one must not follow
        forwardingReplyPieces = false;
        if (result instanceof Relay relay && relay.action() == Relay.Action.REPLACE) {
            connection.writeRaw(codec.encode(relay.lines(), true, connection.runtime().charset()));
        } else if (!(result instanceof Relay)) {
            return connection.write(Replies.from(result), null);
        }
        return Future.succeededFuture();
    }

    private void releaseAnswers() {
        owed.release(this::writeAnswer);
    }

    private void writeAnswer(Reply answer) {
        connection.write(answer, null);
    }

    // ---- the link

    /**
     * The client sends no more: everything it sent before was forwarded, so the half-close is passed on.
     *
     * @return whether the backend sends no more either, so that the connection can close
     */
    boolean clientDone() {
        backend.shutdownOutput();
        return backendInputShut;
    }

    /** @return whether no reply is owed to the client */
    boolean owesNothing() {
        return owed.isEmpty();
    }

    /** Writes what was queued for the backend, in one write. */
    void flush() {
        ByteBuf commands = toBackend.take();
        if (commands != null) {
            backend.write(Buffer.buffer(commands));
        }
    }

    boolean writeQueueFull() {
        return backend.writeQueueFull();
    }

    void reading(boolean read) {
        backend.reading(read);
    }

    void close() {
        backend.close();
    }
}
