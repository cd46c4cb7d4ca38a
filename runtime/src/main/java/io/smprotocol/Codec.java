package io.smprotocol;

import java.nio.charset.Charset;
import java.util.List;
import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * How a protocol's bytes group into commands and replies. The default is one command per line
 * ({@link io.smprotocol.codec.LineCodec}); {@link io.smprotocol.codec.RespCodec} reads Redis' RESP, where one command
 * spans several lines and a value may contain CR and LF. A protocol names its codec in {@link Protocol#codec()}; an
 * implementation needs a public no-argument constructor and may be shared by every connection (all per-connection
 * state lives in its {@link Decoder}s).
 */
public interface Codec {

    /**
     * @param replies {@code true} for the backend-to-client direction of a proxy, {@code false} for commands
     * @param maxFrameLength the most bytes one frame may hold ({@code max-line-length})
     * @param charset the protocol's charset, for {@link Frame#text()}
     * @return a decoder for one direction of one connection
     */
    Decoder decoder(boolean replies, int maxFrameLength, Charset charset);

    /**
     * The decoder of a proxy's client-to-backend direction. It never fails: bytes it cannot read become an
     * {@linkplain Frame#unparsed(Buffer) unparsed} frame, and a command longer than {@code maxLineLength} is passed on
     * in pieces as it arrives (a first frame with the text read so far, then frames without text), so that memory
     * stays bounded by {@code maxLineLength} whatever the size of a value. The default is
     * {@link #decoder(boolean, int, Charset) decoder(false, maxLineLength, charset)}.
     *
     * @param maxLineLength the most bytes of a command held to read it whole ({@code max-line-length})
     * @param maxBulkLength the largest value a command may carry ({@code max-bulk-length}); a larger one is unparsed
     * @param charset the protocol's charset, for {@link Frame#text()}
     * @return a decoder for the commands of one proxied connection
     */
    default Decoder relayDecoder(int maxLineLength, long maxBulkLength, Charset charset) {
        return decoder(false, maxLineLength, charset);
    }

    /**
     * @return a scanner that finds where the backend's replies end as their bytes pass, holding none of them; or
     *         {@code null}, and a proxy frames replies with {@link #decoder(boolean, int, Charset) decoder(true, ...)},
     *         holding each until it is complete. A proxy uses the scanner only where no {@code @OnReply} hook needs
     *         whole replies.
     */
    default ReplyScanner replyScanner() {
        return null;
    }

    /**
     * Tells a proxy whether the backend answers a command it forwards, so that replies keep pairing with the commands
     * they answer. The default: every command that is not blank (an empty line or an empty RESP array gets no reply).
     *
     * @param command a command frame with its text; for lines a hook sends instead of a command
     *        ({@code Relay.replace}), a frame whose bytes are {@code null}
     * @return whether the backend sends a reply to it
     */
    default boolean expectsReply(Frame command) {
        return !command.text().isBlank();
    }

    /**
     * Encodes lines a hook sends: replacement commands to a backend ({@code replies == false}), or replacement
     * replies to a client ({@code replies == true}).
     *
     * @param lines the lines, each one command or reply
     * @param replies the direction
     * @param charset the protocol's charset
     * @return the bytes to send
     */
    Buffer encode(List<String> lines, boolean replies, Charset charset);

    /**
     * Tells command statistics which replies are errors. The default takes a reply starting with {@code -}
     * (RESP), {@code ERR}, {@code ERROR}, {@code SERVER_ERROR} or {@code CLIENT_ERROR} (memcached) or a 4xx or 5xx
     * code (SMTP, FTP) as an error.
     *
     * @param reply a reply frame's text
     * @return whether it reports an error
     */
    default boolean isError(String reply) {
        if (reply.startsWith("-") || reply.startsWith("ERR") || reply.startsWith("SERVER_ERROR")
                || reply.startsWith("CLIENT_ERROR")) {
            return true;
        }
        return reply.length() >= 3 && (reply.charAt(0) == '4' || reply.charAt(0) == '5')
                && Character.isDigit(reply.charAt(1)) && Character.isDigit(reply.charAt(2));
    }

    /** Splits one direction of one connection into frames; keeps the state of a frame that is not complete yet. */
    interface Decoder {

        /**
         * @param data bytes as they arrived, in a buffer nobody writes to afterwards: the decoder may keep it, and a
         *        frame's bytes may be a view of it
         * @param frames receives each complete frame, in order
         * @throws CodecException when the bytes cannot be a frame of this codec, or a frame exceeds the maximum
         *         length; the connection is then answered with an error and closed
         */
        void decode(Buffer data, Consumer<Frame> frames);

        /**
         * A proxy tells the decoder of its commands how the backend answered each forwarded command, in order, before
         * the reply reaches the client: a codec whose commands depend on the answers (SMTP's message after a positive
         * {@code DATA}) follows them here. The default ignores them.
         *
         * @param verb the verb of the command answered, as the statistics count it
         * @param error whether the reply reports an error
         * @return {@code false} once the connection stops following the codec (SMTP's {@code STARTTLS} accepted): the
         *         proxy then passes the rest of the connection through, both ways, unread
         */
        default boolean replied(String verb, boolean error) {
            return true;
        }
    }

    /**
     * Finds the ends of replies in one proxied connection's backend-to-client bytes, which the proxy relays as they
     * arrive: the ends only pair replies with commands (for the statistics) and keep a hook's own answer behind the
     * replies owed before it. It keeps no bytes, only its place in the reply being read.
     */
    interface ReplyScanner {

        /**
         * @param data the next bytes from the backend
         * @param ends receives the end of each reply completed within {@code data}, in order
         * @return {@code false} once the bytes stop following the codec (a replication stream, a protocol switch):
         *         the proxy then passes the rest of the connection through and calls the scanner no more
         */
        boolean scan(Buffer data, ReplyEnds ends);
    }

    /** Receives reply ends from a {@link ReplyScanner}. */
    @FunctionalInterface
    interface ReplyEnds {

        /**
         * @param end the index in the scanned buffer just after the reply's last byte
         * @param error whether the reply reports an error
         */
        void ended(int end, boolean error);
    }

    /** The byte stream does not follow the codec. */
    class CodecException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public CodecException(String message) {
            super(message);
        }
    }
}
