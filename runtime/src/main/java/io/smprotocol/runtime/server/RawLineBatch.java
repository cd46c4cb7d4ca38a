package io.smprotocol.runtime.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one or more reads taken while the session reads raw lines, in order, with the faults (too long, badly ended)
 * found between them. A payload of many lines then costs one step, and a blocking {@code @OnLine} hook one thread
 * switch, per batch instead of per line: that switch, not the reading, was what made a large message slow.
 * <p>
 * Whether a line really is raw is decided when it runs, not when it was read: the hook may end raw-line reading at a
 * line (SMTP's final dot), and the lines after it in the same read are then commands.
 */
final class RawLineBatch {

    /** Past this many bytes of lines, a read's lines go on in a further batch: a waiting batch stays small. */
    static final int MAX_BYTES = 256 * 1024;

    /** Marks a line too long to read whole; compared by reference. */
    private static final String TOO_LONG = new String("too long");
    /** Marks a line with a bare CR or LF; compared by reference. */
    private static final String BARE_LINE_ENDING = new String("bare line ending");

    private final List<String> entries = new ArrayList<>();
    private int bytes;
    private int faults;

    void line(String line) {
        entries.add(line);
        bytes += line.length() + 2;
    }

    void tooLong() {
        entries.add(TOO_LONG);
        faults++;
    }

    void bareLineEnding() {
        entries.add(BARE_LINE_ENDING);
        faults++;
    }

    boolean full() {
        return bytes >= MAX_BYTES;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** @return the line at {@code index}, or {@code null} where a fault was found */
    String line(int index) {
        String entry = entries.get(index);
        return isFault(entry) ? null : entry;
    }

    boolean tooLong(int index) {
        return entries.get(index) == TOO_LONG;
    }

    /** @return the index after the last line of the run of lines (no fault between them) that starts at {@code from} */
    int endOfLines(int from) {
        if (faults == 0) {
            return entries.size();
        }
        int end = from;
        while (end < entries.size() && !isFault(entries.get(end))) {
            end++;
        }
        return end;
    }

    private static boolean isFault(String entry) {
        return entry == TOO_LONG || entry == BARE_LINE_ENDING;
    }
}
