package io.smprotocol;

import io.vertx.core.buffer.Buffer;

/**
 * One command (or, in proxy mode, one reply) as a {@link Codec} found it in the byte stream.
 *
 * @param bytes exactly the bytes received, line endings included: what a proxy forwards unchanged
 * @param text what hooks see as the line: for a line protocol the line without its ending, for RESP the command's
 *        words joined by spaces ({@code SET key value}), for a reply its first line; {@code null} for bytes of a line
 *        too long to read whole, which a proxy passes on without hooks
 */
public record Frame(Buffer bytes, String text) {
}
