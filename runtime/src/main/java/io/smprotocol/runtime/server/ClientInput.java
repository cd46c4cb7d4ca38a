package io.smprotocol.runtime.server;

import java.util.ArrayDeque;

import io.smprotocol.CloseReason;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.smprotocol.Reply;
import io.smprotocol.codec.LineCodec;
import io.smprotocol.codec.LineFramer;
import io.smprotocol.runtime.config.LineTooLongAction;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.vertx.core.buffer.Buffer;

/**
 * What a connection reads from its client, framed into the steps of the connection's queue: commands, lines, batches
 * of raw lines, and the replies that input which cannot be read calls for.
 * <p>
 * A protocol serving its clients with the line codec frames with its line-ending and over-long policies; every other
 * case uses the codec's decoder, which for lines in a proxy passes over-long lines through. The codec and framing
 * limits are those the connection started with. Confined to the connection's event loop.
 */
final class ClientInput {

    /**
     * Batches of raw lines waiting at which reading pauses: what a connection holds of a payload stays within a few
     * times {@link RawLineBatch#MAX_BYTES}, whatever its size. Four, not two: with two, the event loop stopped reading
     * whenever the hook's thread was a batch behind, and a 50 MB message went about 12 % slower (bench/smtp-payload.sh).
     */
    private static final int RAW_BATCHES_PAUSE_AT = 4;

    private final Connection connection;
    /** Frames lines; {@code null} when {@link #commandDecoder} frames. */
    private final LineFramer lineFramer;
    private final Codec.Decoder commandDecoder;
    /** The raw lines of the read being decoded; then, in {@link #rawBatches}, those waiting to run. */
    private RawLineBatch rawBatch;
    /** Made at the first batch: only a session that reads raw lines (a mail's DATA) has any. */
    private ArrayDeque<RawLineBatch> rawBatches;
    private boolean accepting = true;

    ClientInput(Connection connection, ProtocolRuntime runtime, boolean proxies) {
        this.connection = connection;
        ProtocolConfig config = runtime.config();
        Codec codec = runtime.codec();
        if (!proxies && codec instanceof LineCodec) {
            lineFramer = new LineFramer(config.lineEnding(), config.maxLineLength(), runtime.charset(), false, false,
                    new Lines());
            commandDecoder = null;
        } else {
            lineFramer = null;
            commandDecoder = proxies
                    ? codec.relayDecoder(config.maxLineLength(), config.maxBulkLength().asLongValue(),
                            runtime.charset())
                    : codec.decoder(false, config.maxLineLength(), runtime.charset());
        }
    }

    /** @return whether what the client sends is still acted on */
    boolean accepting() {
        return accepting;
    }

    /** Nothing the client sends from now on is acted on. */
    void stop() {
        accepting = false;
    }

    /** Frames one read into steps. */
    void decode(Buffer data) {
        try {
            if (lineFramer != null) {
                lineFramer.feed(data);
                queueRawBatch();
            } else {
                commandDecoder.decode(data, this::onCommandFrame);
            }
        } catch (RuntimeException e) {
            // a codec's own failure counts as unreadable input too: the client is answered, never left hanging
            accepting = false;
            connection.server().log().debugf(e, "[%s] connection %s: unreadable input", connection.server().name(),
                    connection.id());
            connection.enqueue(Step.write(Reply.close(connection.runtime().config().replies().codecError()),
                    CloseReason.PROTOCOL_ERROR));
        }
    }

    /**
     * The backend answered a command (proxy): the command decoder learns of it.
     *
     * @return {@code false} once the connection stops following its codec and must pass through
     */
    boolean commandAnswered(String verb, boolean error) {
        return commandDecoder == null || commandDecoder.replied(verb, error);
    }

    /** @return the next batch of raw lines to run, in the order read */
    RawLineBatch nextRawBatch() {
        return rawBatches == null ? null : rawBatches.poll();
    }

    /** @return whether so many batches of raw lines wait to run that reading must pause */
    boolean backlogged() {
        return rawBatches != null && rawBatches.size() >= RAW_BATCHES_PAUSE_AT;
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
            RawLineBatch waiting = rawBatches == null ? null : rawBatches.peekLast();
            boolean joinable = waiting != null && !waiting.full() && connection.lastQueued() == Step.RAW_LINES;
            rawBatch = joinable ? waiting : new RawLineBatch();
        }
        return rawBatch;
    }

    private void queueRawBatch() {
        RawLineBatch batch = rawBatch;
        rawBatch = null;
        if (batch != null && !batch.isEmpty() && (rawBatches == null || batch != rawBatches.peekLast())) {
            if (rawBatches == null) {
                rawBatches = new ArrayDeque<>(2);
            }
            rawBatches.add(batch);
            connection.enqueue(Step.RAW_LINES);
        }
    }

    private void onCommandFrame(Frame frame) {
        // a proxy's command goes on in this very turn unless a step is at work: the step queue runs it at once
        if (frame.text() == null) {
            connection.enqueue(Step.of(Step.Kind.PASS_TO_BACKEND, frame));
        } else {
            connection.arrived(Step.Kind.COMMAND, frame, null);
        }
    }

    private void lineTooLong() {
        ProtocolConfig config = connection.runtime().config();
        boolean close = config.lineTooLongAction() == LineTooLongAction.CLOSE;
        if (close) {
            // nothing the client sends after this is read
            accepting = false;
        }
        String reply = config.replies().lineTooLong();
        connection.enqueue(
                close ? Step.write(Reply.close(reply), CloseReason.LINE_TOO_LONG) : Step.write(Reply.of(reply), null));
    }

    /** The line framer's events, while the client's input is acted on. */
    private final class Lines implements LineFramer.Listener {

        @Override
        public void onLine(String line, Buffer raw) {
            if (!accepting) {
                return;
            }
            if (connection.readsRawLines()) {
                rawBatch().line(line);
            } else {
                connection.arrived(Step.Kind.COMMAND, null, line);
            }
        }

        @Override
        public void onLineTooLong() {
            if (accepting && connection.readsRawLines()) {
                rawBatch().tooLong();
            } else if (accepting) {
                lineTooLong();
            }
        }

        @Override
        public void onBareLineEnding() {
            if (accepting && connection.readsRawLines()) {
                rawBatch().bareLineEnding();
            } else if (accepting) {
                connection.enqueue(
                        Step.write(Reply.of(connection.runtime().config().replies().protocolError()), null));
            }
        }
    }
}
