package io.smprotocol.codec;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.vertx.core.buffer.Buffer;

/**
 * Finds where line replies end (each LF) as their bytes pass. Only a line's first bytes are kept, for the codec to
 * tell an error reply ({@code ERROR}, {@code 550 ...}) from others; a line of any length costs nothing more.
 */
final class LineReplyScanner implements Codec.ReplyScanner {

    /** Enough for every error prefix {@link Codec#isError} knows. */
    private static final int PREFIX = 16;

    private final Codec codec;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixLength;

    LineReplyScanner(Codec codec) {
        this.codec = codec;
    }

    @Override
    public boolean scan(Buffer data, Codec.ReplyEnds ends) {
        ByteBuf bytes = data.getByteBuf();
        int start = bytes.readerIndex();
        int end = bytes.writerIndex();
        int from = start;
        while (from < end) {
            int lf = bytes.indexOf(from, end, (byte) '\n');
            int lineEnd = lf < 0 ? end : lf;
            if (prefixLength < PREFIX) {
                int take = Math.min(PREFIX - prefixLength, lineEnd - from);
                bytes.getBytes(from, prefix, prefixLength, take);
                prefixLength += take;
            }
            if (lf < 0) {
                break;
            }
            ends.ended(lf + 1 - start, codec.isError(new String(prefix, 0, prefixLength, StandardCharsets.ISO_8859_1)));
            prefixLength = 0;
            from = lf + 1;
        }
        return true;
    }
}
