package io.smprotocol;

import java.util.List;
import java.util.Objects;

/**
 * What a hook sends back: zero or more lines (each sent with the protocol's line ending) and whether the connection
 * closes once they are written. A hook may also return a plain {@code String}, which is {@code Reply.of(line)}.
 *
 * @param lines the lines to send, in order
 * @param closeAfter whether to close the connection after the lines are flushed
 */
public record Reply(List<String> lines, boolean closeAfter) {

    private static final Reply NONE = new Reply(List.of(), false);

    public Reply {
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    }

    /**
     * @param lines one or more lines to send
     * @return a reply that keeps the connection open
     */
    public static Reply of(String... lines) {
        return new Reply(List.of(lines), false);
    }

    /**
     * @return a reply that sends nothing and keeps the connection open
     */
    public static Reply none() {
        return NONE;
    }

    /**
     * @param lines lines to send before closing, possibly none
     * @return a reply that closes the connection after its lines are flushed
     */
    public static Reply close(String... lines) {
        return new Reply(List.of(lines), true);
    }

    /**
     * @return this reply's lines, then closing the connection
     */
    public Reply andClose() {
        return closeAfter ? this : new Reply(lines, true);
    }
}
