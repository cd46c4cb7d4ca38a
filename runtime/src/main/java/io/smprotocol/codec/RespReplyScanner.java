package io.smprotocol.codec;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.vertx.core.buffer.Buffer;

/**
 * Finds where RESP replies end as their bytes pass, holding none of them. Any nesting depth costs one counter (the
 * values still to read in the reply), and a bulk string of any size is skipped by its length as its bytes come, so
 * memory is a few fields whatever the backend sends. A bulk string not followed by CR LF is the one thing RESP never
 * sends and Redis does: the RDB file after {@code SYNC} or a {@code FULLRESYNC}; from there on the bytes are not
 * replies, and the scanner says so.
 */
final class RespReplyScanner implements Codec.ReplyScanner {

    private final ByteView view = new ByteView();

    private static final int TYPE = 0;
    private static final int HEADER = 1;
    private static final int LINE = 2;
    private static final int PAYLOAD = 3;
    private static final int CR = 4;
    private static final int LF = 5;

    private int state = TYPE;
    private byte type;
    /** Values still to read before the reply being read is complete; 0 between replies. */
    private long remaining;
    private boolean error;
    private long number;
    private boolean negative;
    private int digits;
    private boolean invalid;
    private long payloadLeft;

    @Override
    public boolean scan(Buffer data, Codec.ReplyEnds ends) {
        ByteBuf bytes = data.getByteBuf();
        view.view(bytes);
        try {
            return scan(bytes, ends);
        } finally {
            view.release();
        }
    }

    private boolean scan(ByteBuf bytes, Codec.ReplyEnds ends) {
        int start = bytes.readerIndex();
        int end = bytes.writerIndex();
        for (int i = start; i < end; i++) {
            switch (state) {
                case TYPE -> {
                    byte b = view.at(i);
                    if (remaining == 0) {
                        if (b == '\n' || b == '\r') {
                            // a master's keep-alive newline while it prepares the RDB file: no reply
                            continue;
                        }
                        remaining = 1;
                        error = b == '-' || b == '!';
                    }
                    type = b;
                    if (isHeader(b)) {
                        number = 0;
                        digits = 0;
                        negative = false;
                        invalid = false;
                        state = HEADER;
                    } else {
                        state = LINE;
                    }
                }
                case LINE -> {
                    // a simple string, error, integer or other one-line value: its end is all that matters
                    int lf = bytes.indexOf(i, end, (byte) '\n');
                    if (lf < 0) {
                        i = end;
                    } else {
                        i = lf;
                        valueRead(i, ends, start);
                    }
                }
                case HEADER -> {
                    byte b = view.at(i);
                    if (b == '\n') {
                        if (!headerRead(i, ends, start)) {
                            return false;
                        }
                    } else if (b >= '0' && b <= '9' && digits < 18) {
                        number = number * 10 + (b - '0');
                        digits++;
                    } else if (b == '-' && digits == 0 && !negative) {
                        negative = true;
                    } else if (b != '\r') {
                        invalid = true;
                    }
                }
                case PAYLOAD -> {
                    long take = Math.min(payloadLeft, end - i);
                    payloadLeft -= take;
                    i += (int) take - 1;
                    if (payloadLeft == 0) {
                        state = CR;
                    }
                }
                case CR -> {
                    if (view.at(i) != '\r') {
                        return false;
                    }
                    state = LF;
                }
                case LF -> {
                    if (view.at(i) != '\n') {
                        return false;
                    }
                    valueRead(i, ends, start);
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return true;
    }

    private static boolean isHeader(byte type) {
        return switch (type) {
            case '$', '!', '=', '*', '~', '>', '%', '|' -> true;
            default -> false;
        };
    }

    /** @return whether the header line just ended reads; if not, the bytes are not RESP */
    private boolean headerRead(int lf, Codec.ReplyEnds ends, int start) {
        if (invalid || digits == 0) {
            return false;
        }
        long count = negative ? -number : number;
        switch (type) {
            case '$', '!', '=' -> {
                if (count < 0) {
                    valueRead(lf, ends, start);
                } else {
                    payloadLeft = count;
                    state = count == 0 ? CR : PAYLOAD;
                }
            }
            case '|' -> {
                // an attribute: its pairs come first, then the value it describes, in the same reply
                remaining += 2 * count;
                state = TYPE;
            }
            default -> {
                if (count <= 0) {
                    valueRead(lf, ends, start);
                } else {
                    // the aggregate's own place is taken by its elements
                    remaining += (type == '%' ? 2 * count : count) - 1;
                    state = TYPE;
                }
            }
        }
        return true;
    }

    /** One value was read; when it completes the reply, the reply's end is reported. */
    private void valueRead(int last, Codec.ReplyEnds ends, int start) {
        state = TYPE;
        if (--remaining == 0) {
            ends.ended(last + 1 - start, error);
        }
    }

}
