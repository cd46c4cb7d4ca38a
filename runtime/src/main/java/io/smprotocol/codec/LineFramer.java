package io.smprotocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import io.vertx.core.buffer.Buffer;

/**
 * Splits a byte stream into lines.
 * <p>
 * Netty's {@code LineBasedFrameDecoder} and Vert.x's {@code RecordParser} accept a bare LF as a line end and cannot
 * reject a bare CR, which {@code strict-crlf} protocols (SMTP, SIP) require, nor pass an over-long line through
 * unread, which a proxy needs; hence this small framer. Memory stays bounded: at most {@code maxLineLength} bytes of
 * a line are ever held, whatever the peer sends.
 */
public final class LineFramer {

    /** Receives what the framer finds. */
    public interface Listener {

        /**
         * @param line a complete line, without its line ending, decoded with the charset
         * @param raw the line's exact bytes with its ending, or {@code null} unless raw bytes were asked for
         */
        void onLine(String line, Buffer raw);

        /** A line exceeded the maximum length (when not passing through); the rest of it is discarded. */
        default void onLineTooLong() {
        }

        /** In strict CR LF mode, a line held a bare CR or ended with a bare LF; the line is dropped. */
        default void onBareLineEnding() {
        }

        /**
         * Bytes of an over-long line, when passing through: the line arrives in several pieces, the last one ending
         * with its line ending.
         *
         * @param piece exact bytes of the line
         */
        default void onPassThrough(Buffer piece) {
        }
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int INITIAL_CAPACITY = 256;
    private static final byte[] NO_BYTES = new byte[0];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * LF;
    private static final long CRS = ONES * CR;

    private final LineEnding lineEnding;
    private final int maxLineLength;
    private final Charset charset;
    private final boolean keepRaw;
    private final boolean passThrough;
    private final Listener listener;

    /** Empty until the first byte of a line: an idle connection holds no line buffer. */
    private byte[] line = NO_BYTES;
    private int length;
    /** A CR was the last byte seen; whether it ends the line depends on the next byte. */
    private boolean pendingCr;
    /** The current line is over-long: skip (or pass through) to its end. */
    private boolean overLong;
    /** The current line held a bare CR (strict mode): it is rejected when it ends. */
    private boolean bareCr;

    /**
     * @param lineEnding how lines end
     * @param maxLineLength the longest line read whole
     * @param charset decodes lines
     * @param keepRaw whether {@link Listener#onLine(String, Buffer)} gets the exact bytes too
     * @param passThrough whether an over-long line is passed on in pieces instead of being discarded
     * @param listener receives lines and events
     */
    public LineFramer(LineEnding lineEnding, int maxLineLength, Charset charset, boolean keepRaw, boolean passThrough,
            Listener listener) {
        this.lineEnding = lineEnding;
        this.maxLineLength = maxLineLength;
        this.charset = charset;
        this.keepRaw = keepRaw;
        this.passThrough = passThrough;
        this.listener = listener;
    }

    /** @param buffer the next bytes of the stream */
    public void feed(Buffer buffer) {
        ByteBuf bytes = buffer.getByteBuf();
        int end = bytes.writerIndex();
        int passedFrom = bytes.readerIndex();
        for (int i = bytes.readerIndex(); i < end; i++) {
            byte b = bytes.getByte(i);
            if (overLong && passThrough) {
                // stream the rest of an over-long line on as it comes, ending the piece at its line end
                if (b == LF) {
                    listener.onPassThrough(buffer.getBuffer(passedFrom, i + 1));
                    passedFrom = i + 1;
                    overLong = false;
                }
                continue;
            }
            if (passThrough && b != LF && wouldOverflow(b)) {
                // what was held so far goes first; this byte and the rest of the line follow unread
                Buffer held = Buffer.buffer(length + 1).appendBytes(line, 0, length);
                if (pendingCr) {
                    held.appendByte(CR);
                }
                listener.onPassThrough(held);
                length = 0;
                pendingCr = false;
                overLong = true;
                passedFrom = i;
                i--;
                continue;
            }
            if (length == 0 && !keepRaw && b != CR && b != LF && !pendingCr && !overLong && !bareCr) {
                int lineEnd = wholeLine(bytes, i, end);
                if (lineEnd >= 0) {
                    i = lineEnd;
                    passedFrom = i + 1;
                    continue;
                }
            }
            if (b != CR && b != LF && !pendingCr && !overLong) {
                // the bytes up to the next line ending are plain: take them at once, not one by one
                int stop = bytes.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
                int run = (stop < 0 ? end : stop) - i;
                if (length + run <= maxLineLength) {
                    appendRun(bytes, i, run);
                    i += run - 1;
                    passedFrom = i + 1;
                    continue;
                }
            }
            accept(b);
            passedFrom = i + 1;
        }
        if (overLong && passThrough && passedFrom < end) {
            listener.onPassThrough(buffer.getBuffer(passedFrom, end));
        }
    }

    /**
     * A line that lies whole within this read, properly ended, is decoded from the read itself: its end found eight
     * bytes at a time in the read's array (a derived {@code ByteBuf} checks its bounds at every byte) and copied once,
     * into its string. A payload of many short lines (SMTP's DATA) is mostly such lines.
     *
     * @return the index of the line's LF, or -1 when the line must be framed byte by byte
     */
    private int wholeLine(ByteBuf bytes, int from, int end) {
        if (!bytes.hasArray()) {
            return -1;
        }
        byte[] array = bytes.array();
        int offset = bytes.arrayOffset();
        int start = offset + from;
        int limit = offset + (int) Math.min(end, (long) from + maxLineLength + 2);
        int found = firstCrOrLf(array, start, limit);
        if (found < 0) {
            return -1;
        }
        int lf;
        if (array[found] == LF) {
            if (lineEnding == LineEnding.STRICT_CRLF) {
                return -1;
            }
            lf = found;
        } else if (found + 1 < limit && array[found + 1] == LF) {
            lf = found + 1;
        } else {
            // a CR not followed by LF in this read: framed byte by byte
            return -1;
        }
        int length = found - start;
        if (length > maxLineLength) {
            return -1;
        }
        listener.onLine(new String(array, start, length, charset), null);
        return lf - offset;
    }

    /** @return the index of the first CR or LF in {@code array[from, to)}, or -1 */
    private static int firstCrOrLf(byte[] array, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(array, i);
            long lf = word ^ LFS;
            long cr = word ^ CRS;
            // a byte of lf (cr) is zero where the word holds an LF (CR); the lowest flag marks the first of them
            long flags = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
            if (flags != 0) {
                return i + (Long.numberOfTrailingZeros(flags) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (array[i] == LF || array[i] == CR) {
                return i;
            }
        }
        return -1;
    }

    /** @return whether taking this byte would make the line longer than the maximum */
    private boolean wouldOverflow(byte b) {
        int added = (pendingCr ? 1 : 0) + (b == CR ? 0 : 1);
        return length + added > maxLineLength;
    }

    private void accept(byte b) {
        if (b == LF) {
            boolean crlf = pendingCr;
            pendingCr = false;
            endLine(crlf, crlf || lineEnding == LineEnding.LENIENT);
            return;
        }
        if (pendingCr) {
            pendingCr = false;
            if (lineEnding == LineEnding.STRICT_CRLF) {
                bareCr = true;
            } else {
                append(CR);
            }
        }
        if (b == CR) {
            pendingCr = true;
        } else {
            append(b);
        }
    }

    private void endLine(boolean crlf, boolean properEnding) {
        if (overLong) {
            overLong = false;
        } else if (!properEnding || bareCr) {
            listener.onBareLineEnding();
        } else {
            Buffer raw = null;
            if (keepRaw) {
                raw = Buffer.buffer(length + 2).appendBytes(line, 0, length);
                raw.appendString(crlf ? "\r\n" : "\n");
            }
            listener.onLine(new String(line, 0, length, charset), raw);
        }
        length = 0;
        bareCr = false;
        if (line.length > INITIAL_CAPACITY * 16) {
            // one long line must not pin a large array for the life of the connection
            line = new byte[INITIAL_CAPACITY];
        }
    }

    /** @return the next capacity of the line buffer, before the maximum line length bounds it */
    private int grown() {
        return Math.max(INITIAL_CAPACITY, line.length * 2);
    }

    /** Appends bytes that hold no line ending and fit within the maximum line length. */
    private void appendRun(ByteBuf bytes, int from, int run) {
        if (length + run > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineLength, Math.max(grown(), length + run)));
        }
        bytes.getBytes(from, line, length, run);
        length += run;
    }

    private void append(byte b) {
        if (overLong) {
            return;
        }
        if (length == maxLineLength) {
            overLong = true;
            length = 0;
            listener.onLineTooLong();
            return;
        }
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineLength, grown()));
        }
        line[length++] = b;
    }
}
