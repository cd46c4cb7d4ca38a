package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.smprotocol.runtime.config.LineEnding;
import io.vertx.core.buffer.Buffer;

/**
 * Splits a connection's bytes into lines.
 * <p>
 * Netty's {@code LineBasedFrameDecoder} and Vert.x's {@code RecordParser} accept a bare LF as a line end and cannot
 * reject a bare CR, which {@code strict-crlf} protocols (SMTP, SIP) require; hence this small framer. Memory stays
 * bounded: at most {@code maxLineLength} bytes of a line are ever held, whatever the client sends.
 */
final class LineFramer {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int INITIAL_CAPACITY = 256;

    private final LineEnding lineEnding;
    private final int maxLineLength;
    private final Charset charset;
    private final FrameListener listener;

    private byte[] line = new byte[INITIAL_CAPACITY];
    private int length;
    /** A CR was the last byte seen; whether it ends the line depends on the next byte. */
    private boolean pendingCr;
    /** The current line is over-long and already answered: skip to its end. */
    private boolean discarding;
    /** The current line held a bare CR (strict mode): it is rejected when it ends. */
    private boolean bareCr;

    LineFramer(LineEnding lineEnding, int maxLineLength, Charset charset, FrameListener listener) {
        this.lineEnding = lineEnding;
        this.maxLineLength = maxLineLength;
        this.charset = charset;
        this.listener = listener;
    }

    void feed(Buffer buffer) {
        ByteBuf bytes = buffer.getByteBuf();
        int end = bytes.writerIndex();
        for (int i = bytes.readerIndex(); i < end; i++) {
            accept(bytes.getByte(i));
        }
    }

    private void accept(byte b) {
        if (b == LF) {
            boolean crlf = pendingCr;
            pendingCr = false;
            endLine(crlf || lineEnding == LineEnding.LENIENT);
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

    private void endLine(boolean properEnding) {
        if (discarding) {
            discarding = false;
        } else if (!properEnding || bareCr) {
            listener.onBareLineEnding();
        } else {
            listener.onLine(new String(line, 0, length, charset));
        }
        length = 0;
        bareCr = false;
        if (line.length > INITIAL_CAPACITY * 16) {
            // one long line must not pin a large array for the life of the connection
            line = new byte[INITIAL_CAPACITY];
        }
    }

    private void append(byte b) {
        if (discarding) {
            return;
        }
        if (length == maxLineLength) {
            discarding = true;
            length = 0;
            listener.onLineTooLong();
            return;
        }
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineLength, line.length * 2));
        }
        line[length++] = b;
    }
}
