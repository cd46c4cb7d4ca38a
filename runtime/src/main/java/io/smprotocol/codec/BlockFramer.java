package io.smprotocol.codec;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * Splits a text protocol whose lines may announce a block of bytes that follows them (memcached's values, SMTP's
 * {@code BDAT} chunks) into frames as the bytes arrive, each byte looked at once. A {@link Grammar} tells, line by
 * line, how long a block follows and where a frame ends: a frame is a command line with its block
 * ({@code set k 0 0 5\r\nhello\r\n}), or a whole reply ({@code VALUE} lines with their blocks up to {@code END}); its
 * text is its first line, so hooks see each command, never a value as a command.
 * <p>
 * A frame up to {@code maxLength} bytes is held until complete. A larger one goes on as it arrives: a first frame
 * with the text (once the first line is read), then frames without text, so that at most {@code maxLength} bytes are
 * held whatever the size of a value. A first line longer than {@code maxLength} goes on unread, without text. As a
 * {@link Codec.ReplyScanner} it holds no bytes at all, only the start of the line being read.
 */
final class BlockFramer implements Codec.Decoder, Codec.ReplyScanner {

    /** The most of a line a scanner reads: enough for any line that announces a block (a memcached key is 250 bytes). */
    static final int SCANNED_LINE = 1024;

    /** Reads lines for the framer: what follows each, and where frames end. */
    interface Grammar {

        /**
         * @param line the next line of the frame without its line ending, or {@code null} for a line too long to read
         * @return the bytes of the block that follows it, or a negative number for none
         */
        long line(String line);

        /** @return whether the frame ends with the last line and its block */
        boolean frameEnds();
    }

    /** @return a line's words, split at runs of spaces, as the grammars read them */
    static String[] words(String line) {
        return BLANKS.split(line.strip());
    }

    /** The grammar of commands that end with their line and its block. */
    static Grammar commands(ToLongFunction<String> blockAfter) {
        return new Grammar() {
            @Override
            public long line(String line) {
                return line == null ? -1 : blockAfter.applyAsLong(line);
            }

            @Override
            public boolean frameEnds() {
                return true;
            }
        };
    }

    /** Compiled once: {@code String.split(" +")} would compile it for every line split. */
    private static final Pattern BLANKS = Pattern.compile(" +");

    private final Grammar grammar;
    private final boolean holding;
    /** Whether a frame larger than {@code maxLength} goes on in pieces (a proxy) or is refused (a server). */
    private final boolean streams;
    private final int maxLength;
    private final Charset charset;
    private final Codec codec;

    /** The current line's bytes read so far, up to {@code maxLength}. */
    private byte[] line = new byte[0];
    private int lineLength;
    private boolean lineTooLong;
    private long blockLeft;
    /** Whether the frame being read has a line already, and its text (the first line's). */
    private boolean started;
    private String text;
    /** The bytes of the frame being read: held while it fits, else passed on. */
    private final FrameHolder holder;

    private BlockFramer(Grammar grammar, boolean holding, boolean streams, int maxLength, Charset charset,
            Codec codec) {
        this.grammar = grammar;
        this.holding = holding;
        this.streams = streams;
        this.maxLength = maxLength;
        this.charset = charset;
        this.codec = codec;
        this.holder = new FrameHolder(maxLength);
    }

    /**
     * A decoder of a proxy's commands or replies, holding frames up to {@code maxLength} and passing larger ones on in
     * pieces.
     */
    static BlockFramer relay(Grammar grammar, int maxLength, Charset charset, Codec codec) {
        return new BlockFramer(grammar, true, true, maxLength, charset, codec);
    }

    /**
     * A decoder of the commands a protocol serves itself: a command larger than {@code maxLength}, its block
     * included, is refused with a {@link Codec.CodecException}.
     */
    static BlockFramer server(Grammar grammar, int maxLength, Charset charset, Codec codec) {
        return new BlockFramer(grammar, true, false, maxLength, charset, codec);
    }

    /** A scanner of replies that holds nothing. */
    static BlockFramer scanner(Grammar grammar, Charset charset, Codec codec) {
        return new BlockFramer(grammar, false, true, SCANNED_LINE, charset, codec);
    }

    @Override
    public void decode(Buffer data, Consumer<Frame> frames) {
        walk(data, frames, null);
    }

    @Override
    public boolean scan(Buffer data, Codec.ReplyEnds ends) {
        walk(data, null, ends);
        return true;
    }

    private void walk(Buffer data, Consumer<Frame> frames, Codec.ReplyEnds ends) {
        ByteBuf bytes = data.getByteBuf();
        int start = bytes.readerIndex();
        int end = bytes.writerIndex();
        int frameFrom = start;
        int at = start;
        while (at < end) {
            if (blockLeft > 0) {
                int take = (int) Math.min(blockLeft, end - at);
                at += take;
                blockLeft -= take;
                if (blockLeft == 0 && grammar.frameEnds()) {
                    frameFrom = ended(data, frameFrom, at, start, frames, ends);
                }
                continue;
            }
            int lf = bytes.indexOf(at, end, (byte) '\n');
            int lineEnd = lf < 0 ? end : lf + 1;
            keep(bytes, at, lineEnd);
            at = lineEnd;
            if (lf < 0) {
                break;
            }
            if (lineRead()) {
                frameFrom = ended(data, frameFrom, at, start, frames, ends);
            }
        }
        if (frameFrom < end && holding) {
            pending(data, frameFrom, end, frames);
        }
    }

    /** Keeps the start of the current line, up to the most a line may be. */
    private void keep(ByteBuf bytes, int from, int to) {
        int take = Math.min(to - from, maxLength + 2 - lineLength);
        if (take <= 0) {
            lineTooLong = true;
            return;
        }
        if (lineLength + take > line.length) {
            line = Arrays.copyOf(line,
                    Math.min(maxLength + 2, Math.max(lineLength + take, Math.max(64, 2 * line.length))));
        }
        bytes.getBytes(from, line, lineLength, take);
        lineLength += take;
        if (take < to - from) {
            lineTooLong = true;
        }
    }

    /**
     * A line ended: its text decides what follows.
     *
     * @return whether the frame ends with this line
     */
    private boolean lineRead() {
        String read = null;
        if (!lineTooLong) {
            int length = lineLength - 1;
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            read = length <= maxLength ? new String(line, 0, length, charset) : null;
        }
        lineLength = 0;
        lineTooLong = false;
        if (line.length > 4096) {
            // one long line must not pin a large array for the life of the connection
            line = new byte[0];
        }
        if (!started) {
            started = true;
            text = read;
        }
        blockLeft = Math.max(0, grammar.line(read));
        return blockLeft == 0 && grammar.frameEnds();
    }

    /** @return where the next frame starts */
    private int ended(Buffer data, int frameFrom, int at, int start, Consumer<Frame> frames,
            Codec.ReplyEnds ends) {
        if (ends != null) {
            ends.ended(at - start, text != null && codec.isError(text));
        } else {
            Buffer bytes = data.slice(frameFrom - start, at - start);
            if (!streams && holder.lengthWith(bytes) > maxLength) {
                throw tooLarge();
            }
            String frameText = text;
            holder.ended(bytes, frames, whole -> frameText);
        }
        started = false;
        text = null;
        return at;
    }

    /** The read ended inside a frame: hold its bytes while it fits, else pass them on. */
    private void pending(Buffer data, int frameFrom, int end, Consumer<Frame> frames) {
        int start = data.getByteBuf().readerIndex();
        Buffer piece = data.slice(frameFrom - start, end - start);
        if (!streams && holder.lengthWith(piece) > maxLength) {
            throw tooLarge();
        }
        // the first line read: hooks see the command, and its value follows unread; else all of it goes unread
        String frameText = started ? text : null;
        holder.pending(piece, frames, first -> frameText);
    }

    private Codec.CodecException tooLarge() {
        return new Codec.CodecException("a command of more than " + maxLength + " bytes (max-line-length)");
    }
}
