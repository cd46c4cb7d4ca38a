package io.smprotocol.codec;

import java.nio.charset.Charset;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * A proxied SMTP client's commands as their bytes arrive. Between commands, lines (and {@code BDAT} chunks) are
 * framed by a {@link BlockFramer}. Once the backend accepts {@code DATA} (354), the message follows: its lines go on
 * unread, as frames without text, up to the line holding a single dot, which becomes a frame of its own with the text
 * {@code .}, answered by the backend's verdict on the message. Once the backend accepts {@code STARTTLS}, the
 * connection is encrypted and passes through.
 */
final class SmtpCommandDecoder implements Codec.Decoder {

    private static final int IN_LINE = 0;
    private static final int LINE_START = 1;
    private static final int DOT = 2;
    private static final int DOT_CR = 3;

    private final BlockFramer commands;
    private boolean message;
    private int state;
    /** The start of a possible end-of-message line that a read ended inside ({@code .} or {@code .\r}). */
    private Buffer candidate;

    SmtpCommandDecoder(int maxLineLength, Charset charset, Codec codec) {
        this.commands = BlockFramer.relay(SmtpCodec.COMMANDS, maxLineLength, charset, codec);
    }

    @Override
    public boolean replied(String verb, boolean error) {
        if (error) {
            return true;
        }
        if (verb.equals("DATA")) {
            message = true;
            state = LINE_START;
        }
        return !verb.equals("STARTTLS");
    }

    @Override
    public void decode(Buffer data, Consumer<Frame> frames) {
        if (message) {
            message(data, frames);
        } else {
            commands.decode(data, frames);
        }
    }

    /** Passes the message's lines on unread, up to its final dot; what follows it is commands again. */
    private void message(Buffer data, Consumer<Frame> frames) {
        ByteBuf bytes = data.getByteBuf();
        int start = bytes.readerIndex();
        int end = bytes.writerIndex();
        int from = start;
        int dotAt = -1;
        int at = start;
        while (at < end) {
            if (state == IN_LINE) {
                int lf = bytes.indexOf(at, end, (byte) '\n');
                if (lf < 0) {
                    break;
                }
                at = lf + 1;
                state = LINE_START;
                continue;
            }
            byte b = bytes.getByte(at);
            if (state == LINE_START) {
                if (b == '.') {
                    dotAt = at;
                    state = DOT;
                } else if (b != '\n') {
                    state = IN_LINE;
                }
            } else if (state == DOT && b == '\r') {
                state = DOT_CR;
            } else if (state == DOT_CR && b == '\n') {
                ended(data, start, from, dotAt, at + 1, end, frames);
                return;
            } else {
                // a line that starts with a dot and goes on is a line of the message (dot-stuffed or not)
                state = b == '\n' ? LINE_START : IN_LINE;
                if (candidate != null) {
                    frames.accept(new Frame(candidate, null));
                    candidate = null;
                }
            }
            at++;
        }
        if (state == DOT || state == DOT_CR) {
            // the read ends inside what may be the final dot: keep it until the next read tells
            if (candidate == null) {
                piece(data, start, from, dotAt, frames);
                candidate = data.slice(dotAt - start, end - start).copy();
            } else {
                candidate.appendBuffer(data.slice(0, end - start));
            }
        } else {
            piece(data, start, from, end, frames);
        }
    }

    private void ended(Buffer data, int start, int from, int dotAt, int lineEnd, int end, Consumer<Frame> frames) {
        Buffer dot;
        if (candidate != null) {
            dot = candidate.appendBuffer(data.slice(0, lineEnd - start));
            candidate = null;
        } else {
            piece(data, start, from, dotAt, frames);
            dot = data.slice(dotAt - start, lineEnd - start);
        }
        frames.accept(new Frame(dot, "."));
        message = false;
        if (lineEnd < end) {
            commands.decode(data.slice(lineEnd - start, end - start), frames);
        }
    }

    /** Passes the message's bytes {@code [from, to)} of this read on, unread. */
    private static void piece(Buffer data, int start, int from, int to, Consumer<Frame> frames) {
        if (to > from) {
            frames.accept(new Frame(data.slice(from - start, to - start), null));
        }
    }
}
