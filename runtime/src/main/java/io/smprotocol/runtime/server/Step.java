package io.smprotocol.runtime.server;

import io.smprotocol.CloseReason;
import io.smprotocol.Frame;
import io.smprotocol.Reply;

/**
 * One thing that happens to a connection, queued in arrival order and run one at a time by {@link Connection}.
 *
 * @param kind what happened
 * @param frame the command or reply, for the kinds that carry one
 * @param reply the lines to write, for {@link Kind#WRITE}
 * @param reason the close reason after writing, for {@link Kind#WRITE}, or {@code null}
 */
record Step(Kind kind, Frame frame, Reply reply, CloseReason reason) {

    enum Kind {
        /** The client connected: reach the backend (proxy), run the connect hook. */
        CONNECT,
        /** A command (a line, or a codec's frame) from the client. */
        COMMAND,
        /** A reply from the backend (proxy). */
        BACKEND_REPLY,
        /** The lines of a read taken while the session reads raw lines: the next {@link RawLineBatch} waiting. */
        RAW_LINES,
        /** Bytes of an over-long line from the client, relayed unread (proxy). */
        PASS_TO_BACKEND,
        /** Lines the framework writes to the client, possibly closing after them. */
        WRITE,
        /** The client sends no more: forward the half-close (proxy) or close once answered. */
        CLIENT_DONE,
        /** The backend sends no more: forward the half-close to the client (proxy). */
        BACKEND_DONE,
        /** The connection closed: run the close hook. */
        CLOSE
    }

    static final Step CONNECT = new Step(Kind.CONNECT, null, null, null);
    static final Step CLIENT_DONE = new Step(Kind.CLIENT_DONE, null, null, null);
    static final Step BACKEND_DONE = new Step(Kind.BACKEND_DONE, null, null, null);
    static final Step CLOSE = new Step(Kind.CLOSE, null, null, null);
    static final Step RAW_LINES = new Step(Kind.RAW_LINES, null, null, null);

    static Step of(Kind kind, Frame frame) {
        return new Step(kind, frame, null, null);
    }

    static Step write(Reply reply, CloseReason reason) {
        return new Step(Kind.WRITE, null, reply, reason);
    }
}
