package io.smprotocol.it.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What a protocol must answer to a byte stream, as the documentation states it: lines end with LF or CR LF
 * ({@code lenient}) or only with CR LF ({@code strict-crlf}, where a line ended by a bare LF or holding a bare CR is
 * answered with the protocol-error reply and reaches no hook); a line longer than {@code max-line-length} bytes is
 * answered once with the line-too-long reply as soon as it passes the limit, and the rest of it, up to its LF, is
 * discarded; every other line is decoded as UTF-8 (bad bytes become U+FFFD) and answered by the protocol's hooks.
 * <p>
 * The fuzz tests feed the same bytes to the model and to the server, in any pieces, and expect exactly the model's
 * replies, in order. One detail is taken from the implementation where the documentation is silent: in strict mode a
 * bare CR is not counted in the line's length (the line is a protocol error anyway).
 */
final class LineModel {

    private final boolean strict;
    private final int maxLineLength;
    private final String lineTooLong;
    private final String protocolError;
    /** A line's reply, or {@code null} for a line the fuzz must not send (QUIT would close the connection). */
    private final Function<String, String> answer;

    private byte[] line;
    private int length;
    private boolean pendingCr;
    private boolean overLong;
    private boolean bareCr;
    private long handled;

    LineModel(boolean strict, int maxLineLength, String lineTooLong, String protocolError,
            Function<String, String> answer) {
        this.strict = strict;
        this.maxLineLength = maxLineLength;
        this.lineTooLong = lineTooLong;
        this.protocolError = protocolError;
        this.answer = answer;
        this.line = new byte[maxLineLength];
    }

    /** @return an independent copy in the same state */
    LineModel copy() {
        LineModel copy = new LineModel(strict, maxLineLength, lineTooLong, protocolError, answer);
        copy.line = Arrays.copyOf(line, line.length);
        copy.length = length;
        copy.pendingCr = pendingCr;
        copy.overLong = overLong;
        copy.bareCr = bareCr;
        copy.handled = handled;
        return copy;
    }

    /** @return the lines that reached the protocol's hooks so far */
    long handled() {
        return handled;
    }

    /**
     * @param bytes the next bytes the client sends
     * @return the replies they must get, or {@code null} when they hold a line the fuzz must not send
     */
    List<String> feed(byte[] bytes) {
        List<String> replies = new ArrayList<>();
        for (byte b : bytes) {
            if (b == '\n') {
                boolean crlf = pendingCr;
                pendingCr = false;
                if (overLong) {
                    overLong = false;
                } else if (!(crlf || !strict) || bareCr) {
                    replies.add(protocolError);
                } else {
                    String reply = answer.apply(new String(line, 0, length, StandardCharsets.UTF_8));
                    if (reply == null) {
                        return null;
                    }
                    handled++;
                    replies.add(reply);
                }
                length = 0;
                bareCr = false;
                continue;
            }
            if (pendingCr) {
                pendingCr = false;
                if (strict) {
                    bareCr = true;
                } else {
                    append((byte) '\r', replies);
                }
            }
            if (b == '\r') {
                pendingCr = true;
            } else {
                append(b, replies);
            }
        }
        return replies;
    }

    private void append(byte b, List<String> replies) {
        if (overLong) {
            return;
        }
        if (length == maxLineLength) {
            overLong = true;
            length = 0;
            replies.add(lineTooLong);
            return;
        }
        line[length++] = b;
    }
}
