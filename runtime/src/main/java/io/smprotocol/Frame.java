package io.smprotocol;

import io.vertx.core.buffer.Buffer;

/**
 * One command (or, in proxy mode, one reply) as a {@link Codec} found it in the byte stream.
 *
 * @param bytes exactly the bytes received, line endings included: what a proxy forwards unchanged
 * @param text what hooks see as the line: for a line protocol the line without its ending, for RESP the command's
 *        words joined by spaces ({@code SET key value}), for a reply its first line; {@code null} for bytes a proxy
 *        passes on without hooks (a piece of a line or value too long to read whole, or bytes it could not parse)
 * @param unparsed whether the bytes do not follow the codec: a proxy forwards them, and everything after them on
 *        the connection, unchanged, and lets the backend answer them (its own error, usually)
 */
public record Frame(Buffer bytes, String text, boolean unparsed) {

    /** A frame the codec could read: a command (or reply) with its text, or a piece of one passed on unread. */
    public Frame(Buffer bytes, String text) {
        this(bytes, text, false);
    }

    /**
     * @param bytes bytes that do not follow the codec
     * @return a frame a proxy forwards unchanged, without hooks, counted as unparsed
     */
    public static Frame unparsed(Buffer bytes) {
        return new Frame(bytes, null, true);
    }
}
