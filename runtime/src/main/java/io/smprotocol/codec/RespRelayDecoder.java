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
 * Splits a proxied client's RESP commands as their bytes arrive, each byte looked at once, and never fails.
 * <ul>
 * <li>A command that fits in {@code maxLineLength} bytes becomes one frame whose text hooks read.</li>
 * <li>A larger one (a big {@code SET}, an {@code MSET} of many keys) is passed on as it comes: a first frame with the
 * words read so far (at least the verb, unless the verb itself is the big value), then frames without text, so that
 * the proxy holds at most {@code maxLineLength} bytes of it.</li>
 * <li>Bytes Redis would refuse (a bad length, a missing {@code $}, a bulk larger than {@code maxBulkLength}, an
 * inline command without a line end within {@code maxLineLength}) become an unparsed frame, and so does everything
 * after them: Redis answers them with its own error and closes the connection, and the proxy relays that.</li>
 * </ul>
 */
final class RespRelayDecoder implements Codec.Decoder {

    private final ByteView view = new ByteView();

    private static final int START = 0;
    private static final int INLINE = 1;
    private static final int COUNT = 2;
    private static final int BULK_TYPE = 3;
    private static final int BULK_LENGTH = 4;
    private static final int PAYLOAD = 5;
    private static final int PAYLOAD_CR = 6;
    private static final int PAYLOAD_LF = 7;
    private static final int UNPARSED = 8;
    /** The longest length line ({@code *3}, {@code $5}) Redis could read, CR included. */
    private static final int MAX_LENGTH_LINE = 24;
    /** Stands for the verb of a command whose very first word was too large to read. */
    private static final String UNREAD_VERB = "OTHER";
    private static final int SMALL_WORD = 64;

    private final int maxLineLength;
    private final long maxBulkLength;
    private final Charset charset;
    private final List<String> words = new ArrayList<>();

    private int state = START;
    /** The bytes of the command being read that came in earlier reads, or {@code null}. */
    private Buffer held;
    /** The command's first frame went on: the rest of it follows in pieces, unread. */
    private boolean streaming;
    private long count;
    private long read;
    private long number;
    private int digits;
    private boolean negative;
    private int lineLength;
    private long payloadLeft;
    /** The value being read, when the command is read whole. */
    private byte[] word = new byte[SMALL_WORD];
    private int wordLength;

    RespRelayDecoder(int maxLineLength, long maxBulkLength, Charset charset) {
        this.maxLineLength = maxLineLength;
        this.maxBulkLength = maxBulkLength;
        this.charset = charset;
    }

    @Override
    public void decode(Buffer data, Consumer<Frame> frames) {
        ByteBuf bytes = data.getByteBuf();
        view.view(bytes);
        try {
            decode(data, bytes, frames);
        } finally {
            view.release();
        }
    }

    private void decode(Buffer data, ByteBuf bytes, Consumer<Frame> frames) {
        int end = data.length();
        // where the bytes of the command being read start in this read
        int from = 0;
        for (int i = 0; i < end; i++) {
            switch (state) {
                case START -> {
                    from = i;
                    words.clear();
                    streaming = false;
                    lineLength = 0;
                    if (view.at(i) == '*') {
                        startNumber();
                        state = COUNT;
                    } else {
                        state = INLINE;
                        i--;
                    }
                }
                case INLINE -> {
                    int lf = bytes.indexOf(i, end, (byte) '\n');
                    lineLength += (lf < 0 ? end : lf) - i;
                    if (lineLength > maxLineLength) {
                        unparsed(data, from, frames);
                        return;
                    }
                    if (lf < 0) {
                        i = end;
                        break;
                    }
                    Buffer command = take(data, from, lf + 1);
                    int textEnd = command.length() - 1;
                    if (textEnd > 0 && command.getByte(textEnd - 1) == '\r') {
                        textEnd--;
                    }
                    frames.accept(new Frame(command, command.getString(0, textEnd, charset.name()).trim()));
                    i = lf;
                    state = START;
                }
                case COUNT, BULK_LENGTH -> {
                    byte b = view.at(i);
                    if (b != '\n') {
                        if (!digit(b)) {
                            unparsed(data, from, frames);
                            return;
                        }
                        break;
                    }
                    long value = negative ? -number : number;
                    if (digits == 0) {
                        unparsed(data, from, frames);
                        return;
                    }
                    if (state == COUNT) {
                        if (value > Integer.MAX_VALUE) {
                            unparsed(data, from, frames);
                            return;
                        }
                        if (value <= 0) {
                            // an empty command: Redis ignores it, and sends no reply
                            frames.accept(new Frame(take(data, from, i + 1), ""));
                            state = START;
                            break;
                        }
                        count = value;
                        read = 0;
                        state = BULK_TYPE;
                        break;
                    }
                    if (value < 0 || value > maxBulkLength) {
                        unparsed(data, from, frames);
                        return;
                    }
                    payloadLeft = value;
                    if (!streaming && held(from, i + 1) + value + 2 > maxLineLength) {
                        from = startStreaming(data, from, i + 1, frames);
                    }
                    if (!streaming) {
                        wordLength = 0;
                        if (word.length < value) {
                            word = new byte[(int) value];
                        }
                    }
                    state = value == 0 ? PAYLOAD_CR : PAYLOAD;
                }
                case BULK_TYPE -> {
                    if (view.at(i) != '$') {
                        unparsed(data, from, frames);
                        return;
                    }
                    startNumber();
                    state = BULK_LENGTH;
                }
                case PAYLOAD -> {
                    int take = (int) Math.min(payloadLeft, end - i);
                    if (!streaming) {
                        bytes.getBytes(i, word, wordLength, take);
                        wordLength += take;
                    }
                    payloadLeft -= take;
                    i += take - 1;
                    if (payloadLeft == 0) {
                        state = PAYLOAD_CR;
                    }
                }
                case PAYLOAD_CR -> {
                    if (view.at(i) != '\r') {
                        unparsed(data, from, frames);
                        return;
                    }
                    state = PAYLOAD_LF;
                }
                case PAYLOAD_LF -> {
                    if (view.at(i) != '\n') {
                        unparsed(data, from, frames);
                        return;
                    }
                    if (!streaming) {
                        words.add(new String(word, 0, wordLength, charset));
                        if (word.length > SMALL_WORD * 64) {
                            // one large value must not pin its array for the life of the connection
                            word = new byte[SMALL_WORD];
                        }
                    }
                    if (++read == count) {
                        Buffer rest = take(data, from, i + 1);
                        frames.accept(streaming ? new Frame(rest, null) : new Frame(rest, String.join(" ", words)));
                        state = START;
                    } else {
                        if (!streaming && held(from, i + 1) > maxLineLength) {
                            // many values, each small: what was read goes on, the rest follows as it comes
                            from = startStreaming(data, from, i + 1, frames);
                        }
                        state = BULK_TYPE;
                    }
                }
                case UNPARSED -> {
                    frames.accept(Frame.unparsed(data.slice(i, end)));
                    return;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        if (state == START || from >= end) {
            return;
        }
        if (streaming) {
            frames.accept(new Frame(data.slice(from, end), null));
        } else {
            Buffer part = data.getBuffer(from, end);
            held = held == null ? part : held.appendBuffer(part);
        }
    }

    private void startNumber() {
        number = 0;
        digits = 0;
        negative = false;
        lineLength = 0;
    }

    /** @return whether a byte of a length line reads (digits, a leading minus, the CR before the LF) */
    private boolean digit(byte b) {
        if (++lineLength > MAX_LENGTH_LINE) {
            return false;
        }
        if (b >= '0' && b <= '9' && digits < 18) {
            number = number * 10 + (b - '0');
            digits++;
            return true;
        }
        if (b == '-' && digits == 0 && !negative) {
            negative = true;
            return true;
        }
        return b == '\r';
    }

    /** @return the bytes of the command being read so far, had it ended at {@code to} in this read */
    private long held(int from, int to) {
        return (held == null ? 0 : held.length()) + (long) to - from;
    }

    /** @return the command's bytes so far (those held from earlier reads, then these), no longer held */
    private Buffer take(Buffer data, int from, int to) {
        Buffer here = data.slice(from, to);
        if (held == null) {
            return here;
        }
        Buffer all = held.appendBuffer(here);
        held = null;
        return all;
    }

    /** Passes on the command read so far as its first frame; @return where its next piece starts */
    private int startStreaming(Buffer data, int from, int to, Consumer<Frame> frames) {
        streaming = true;
        String text = words.isEmpty() ? UNREAD_VERB : String.join(" ", words);
        frames.accept(new Frame(take(data, from, to), text));
        return to;
    }

    private void unparsed(Buffer data, int from, Consumer<Frame> frames) {
        state = UNPARSED;
        frames.accept(Frame.unparsed(take(data, from, data.length())));
    }

}
