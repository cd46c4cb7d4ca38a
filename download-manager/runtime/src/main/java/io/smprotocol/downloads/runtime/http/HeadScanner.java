package io.smprotocol.downloads.runtime.http;

import io.netty.buffer.ByteBuf;

/**
 * Reads the bytes of a request's head alongside Netty's decoder to see what the decoder hides: a header line that
 * begins with a space or a tab (obs-fold), which the decoder joins to the previous line's value. RFC 9112 section 5.2
 * lets a server refuse it with 400, and it must: a proxy in front may read the folded line as a header of its own.
 * <p>
 * Positions are counted from the start of the connection, because the decoder consumes its buffer line by line; the
 * scanner stops at the empty line that ends the head and waits, without looking at the body, until told where the next
 * request begins.
 */
final class HeadScanner {

    private enum State {
        BEFORE_REQUEST_LINE,
        REQUEST_LINE,
        LINE_START,
        CR_AT_LINE_START,
        IN_LINE,
        DONE
    }

    private State state = State.BEFORE_REQUEST_LINE;
    /** The next byte to look at, counted from the start of the connection. */
    private long position;
    private boolean folded;

    /**
     * Looks at what the buffer holds past what was already seen.
     *
     * @param in the decoder's buffer
     * @param consumed the bytes of the connection the decoder has consumed: {@code in.readerIndex()} is that byte
     */
    void scan(ByteBuf in, long consumed) {
        if (state == State.DONE) {
            return;
        }
        long start = Math.max(position, consumed);
        int from = in.readerIndex() + (int) (start - consumed);
        int to = in.writerIndex();
        int i = from;
        for (; i < to && state != State.DONE; i++) {
            byte b = in.getByte(i);
            state = next(state, b);
        }
        position = start + (i - from);
    }

    private State next(State current, byte b) {
        return switch (current) {
            // the decoder skips control characters and white space before the request line, as RFC 9112 2.2 allows
            case BEFORE_REQUEST_LINE -> b <= ' ' || b == 0x7f ? current : State.REQUEST_LINE;
            case REQUEST_LINE, IN_LINE -> b == '\n' ? State.LINE_START : current;
            case LINE_START -> {
                if (b == ' ' || b == '\t') {
                    folded = true;
                    yield State.IN_LINE;
                }
                yield b == '\r' ? State.CR_AT_LINE_START : b == '\n' ? State.DONE : State.IN_LINE;
            }
            case CR_AT_LINE_START -> b == '\n' ? State.DONE : State.IN_LINE;
            case DONE -> current;
        };
    }

    /** @return whether the head seen so far has a folded line; clears it */
    boolean takeFolded() {
        boolean was = folded;
        folded = false;
        return was;
    }

    /** The request ended: the next one begins at {@code consumed}. */
    void nextRequestAt(long consumed) {
        state = State.BEFORE_REQUEST_LINE;
        position = consumed;
        folded = false;
    }
}
