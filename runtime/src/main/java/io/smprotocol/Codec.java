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
    }

    /** The byte stream does not follow the codec. */
    class CodecException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public CodecException(String message) {
            super(message);
        }
    }
}
