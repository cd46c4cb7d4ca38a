package io.smprotocol.codec;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * Redis' serialization protocol (RESP2, and the RESP3 reply types). A command is an array of bulk strings
 * ({@code *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n}) or an inline line ({@code PING\r\n}); hooks see its words
 * joined by spaces ({@code SET k value}), so {@code @OnCommand("SET")} and the statistics see {@code SET}, never
 * {@code *3}, and a value holding CR, LF or NUL is never split into fake lines. A reply is one whole value, nested
 * arrays included; hooks see its first line ({@code +OK}, {@code $5}, {@code -ERR ...}).
 * <p>
 * Lines a hook sends are encoded as RESP commands toward the backend (words split at blanks) and as they are toward
 * the client ({@code +OK}, {@code -ERR blocked}).
 */
public final class RespCodec implements Codec {

    @Override
    public Decoder decoder(boolean replies, int maxFrameLength, Charset charset) {
        return new RespDecoder(replies, maxFrameLength, charset);
    }

    @Override
    public Decoder relayDecoder(int maxLineLength, long maxBulkLength, Charset charset) {
        return new RespRelayDecoder(maxLineLength, maxBulkLength, charset);
    }

    @Override
    public ReplyScanner replyScanner() {
        return new RespReplyScanner();
    }

    @Override
    public Buffer encode(List<String> lines, boolean replies, Charset charset) {
        Buffer buffer = Buffer.buffer();
        for (String line : lines) {
            if (replies) {
                buffer.appendString(line, charset.name()).appendString("\r\n");
                continue;
            }
            String[] words = line.trim().split("[ \t]+");
            buffer.appendString("*" + words.length + "\r\n");
            for (String word : words) {
                byte[] bytes = word.getBytes(charset);
                buffer.appendString("$" + bytes.length + "\r\n").appendBytes(bytes).appendString("\r\n");
            }
        }
        return buffer;
    }

    @Override
    public boolean isError(String reply) {
        return reply.startsWith("-") || reply.startsWith("!");
    }

    /** Splits one direction of a connection into RESP values, keeping the bytes of an incomplete one. */
    private static final class RespDecoder implements Decoder {

        /** An incomplete value: wait for more bytes. */
        private static final int INCOMPLETE = -1;

        private final boolean replies;
        private final int maxFrameLength;
        private final Charset charset;
        private Buffer pending = Buffer.buffer();
        /** {@link #pending}'s bytes for the current {@link #decode} call: one view instead of one per line read. */
        private ByteBuf bytes;
        /** Their backing array, read directly (no bounds checks through views), or {@code null} when not on heap. */
        private byte[] array;
        private int arrayOffset;
        private final List<String> words = new ArrayList<>();
        private String firstLine;
        /*
         * A command array only partly received: how many elements it has, how many were read, and where the next one
         * starts from the command's first byte. Reading goes on from there instead of from the command's start, so a
         * command of many small elements arriving in many reads costs time in proportion to its size.
         */
        private long partialCount = -1;
        private long partialRead;
        private int partialPosition;

        RespDecoder(boolean replies, int maxFrameLength, Charset charset) {
            this.replies = replies;
            this.maxFrameLength = maxFrameLength;
            this.charset = charset;
        }

        @Override
        public void decode(Buffer data, Consumer<Frame> frames) {
            if (pending.length() == 0) {
                // each read comes in a buffer of its own, never written to again: decode it where it is
                pending = data;
            } else {
                pending.appendBuffer(data);
            }
            bytes = pending.getByteBuf();
            if (bytes.hasArray()) {
                array = bytes.array();
                arrayOffset = bytes.arrayOffset();
            }
            int offset = 0;
            try {
                while (offset < pending.length()) {
                    if (partialCount < 0) {
                        words.clear();
                    }
                    firstLine = null;
                    int end = replies ? value(offset) : command(offset);
                    if (end == INCOMPLETE) {
                        break;
                    }
                    if (end - offset > maxFrameLength) {
                        throw new CodecException("a RESP value of " + (end - offset) + " bytes exceeds "
                                + maxFrameLength);
                    }
                    String text = replies ? firstLine : String.join(" ", words);
                    // a view, not a copy: the pending bytes are replaced, never changed, once frames are taken
                    frames.accept(new Frame(pending.slice(offset, end), text));
                    offset = end;
                }
            } finally {
                // the view would keep the consumed bytes reachable until the next read
                bytes = null;
                array = null;
            }
            if (offset > 0) {
                pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
            }
            if (pending.length() > maxFrameLength) {
                throw new CodecException("a RESP value exceeds " + maxFrameLength + " bytes");
            }
        }

        /** @return the end of the command starting at {@code offset}, or {@link #INCOMPLETE} */
        private int command(int offset) {
            if (at(offset) != '*') {
                // an inline command: one line of words
                int lineEnd = lineEnd(offset);
                if (lineEnd == INCOMPLETE) {
                    return INCOMPLETE;
                }
                String line = text(offset, lineEnd).trim();
                if (!line.isEmpty()) {
                    words.add(line);
                }
                return lineEnd + 1;
            }
            long count;
            long first;
            int position;
            if (partialCount >= 0) {
                count = partialCount;
                first = partialRead;
                position = offset + partialPosition;
            } else {
                int lineEnd = lineEnd(offset);
                if (lineEnd == INCOMPLETE) {
                    return INCOMPLETE;
                }
                count = number(offset + 1, lineEnd, "multibulk length");
                if (count > maxFrameLength) {
                    throw new CodecException("invalid RESP multibulk length: " + count);
                }
                first = 0;
                position = lineEnd + 1;
            }
            for (long i = first; i < count; i++) {
                if (position >= pending.length()) {
                    return partial(count, i, position - offset);
                }
                if (at(position) != '$') {
                    throw new CodecException("expected '$' in a RESP command, got '" + (char) at(position)
                            + "'");
                }
                int headerEnd = lineEnd(position);
                if (headerEnd == INCOMPLETE) {
                    return partial(count, i, position - offset);
                }
                long length = number(position + 1, headerEnd, "bulk length");
                if (length < 0) {
                    throw new CodecException("invalid RESP bulk length in a command: " + length);
                }
                checkLength(length);
                int payloadEnd = headerEnd + 1 + (int) length;
                if (payloadEnd + 2 > pending.length()) {
                    return partial(count, i, position - offset);
                }
                words.add(bytes.toString(headerEnd + 1, payloadEnd - headerEnd - 1, charset));
                position = payloadEnd + 2;
            }
            partialCount = -1;
            return position;
        }

        /** Remembers how far an incomplete command was read; its words so far stay in {@link #words}. */
        private int partial(long count, long read, int position) {
            partialCount = count;
            partialRead = read;
            partialPosition = position;
            return INCOMPLETE;
        }

        /**
         * @return the end of the value starting at {@code offset}, or {@link #INCOMPLETE}. Nested values are counted,
         *         not recursed into: any depth costs one counter.
         */
        private int value(int offset) {
            long remaining = 1;
            int position = offset;
            while (remaining > 0) {
                if (position >= pending.length()) {
                    return INCOMPLETE;
                }
                int lineEnd = lineEnd(position);
                if (lineEnd == INCOMPLETE) {
                    return INCOMPLETE;
                }
                if (firstLine == null) {
                    firstLine = text(position, lineEnd);
                }
                byte type = at(position);
                switch (type) {
                    case '$', '!', '=' -> {
                        long length = number(position + 1, lineEnd, "bulk length");
                        if (length < 0) {
                            position = lineEnd + 1;
                        } else {
                            checkLength(length);
                            long end = lineEnd + 1 + length + 2;
                            if (end > pending.length()) {
                                return INCOMPLETE;
                            }
                            position = (int) end;
                        }
                        remaining--;
                    }
                    case '*', '~', '>', '%', '|' -> {
                        long count = number(position + 1, lineEnd, "aggregate length");
                        if (type == '%' || type == '|') {
                            count *= 2;
                        }
                        position = lineEnd + 1;
                        if (type == '|') {
                            // an attribute describes the value that follows it: both make one reply
                            remaining += count;
                        } else if (count <= 0) {
                            remaining--;
                        } else {
                            // the aggregate's own place is taken by its elements
                            remaining += count - 1;
                        }
                    }
                    default -> {
                        // simple string, error, integer, null, double, boolean, big number; or a plain line
                        position = lineEnd + 1;
                        remaining--;
                    }
                }
            }
            return position;
        }

        private void checkLength(long length) {
            if (length > maxFrameLength) {
                throw new CodecException("a RESP bulk string of " + length + " bytes exceeds " + maxFrameLength);
            }
        }

        private byte at(int index) {
            return array != null ? array[arrayOffset + index] : bytes.getByte(index);
        }

        /** @return the index of the LF ending the line that starts at {@code offset}, or {@link #INCOMPLETE} */
        private int lineEnd(int offset) {
            if (array == null) {
                return bytes.indexOf(offset, bytes.writerIndex(), (byte) '\n');
            }
            // a plain loop over the array: Netty's search of a view reads each byte through the view
            int end = bytes.writerIndex();
            for (int i = offset; i < end; i++) {
                if (array[arrayOffset + i] == '\n') {
                    return i;
                }
            }
            return INCOMPLETE;
        }

        /** @return the line from {@code offset} up to the LF at {@code lineEnd}, without CR LF */
        private String text(int offset, int lineEnd) {
            int end = lineEnd > offset && at(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            return bytes.toString(offset, end - offset, charset);
        }

        private long number(int from, int lineEnd, String what) {
            int end = lineEnd > from && at(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            if (end <= from || end - from > 19) {
                throw new CodecException("invalid RESP " + what);
            }
            long value = 0;
            boolean negative = at(from) == '-';
            if (negative && end - from == 1) {
                throw new CodecException("invalid RESP " + what);
            }
            for (int i = negative ? from + 1 : from; i < end; i++) {
                byte digit = at(i);
                if (digit < '0' || digit > '9') {
                    throw new CodecException("invalid RESP " + what);
                }
                value = value * 10 + (digit - '0');
            }
            return negative ? -value : value;
        }
    }
}
