package io.smprotocol.downloads.runtime.semantics;

import java.util.ArrayList;
import java.util.List;

import io.smprotocol.download.ByteRange;

/**
 * Reads a {@code Range} header per RFC 9110 section 14. Written here rather than taken from Vert.x' StaticHandler,
 * which knows neither suffix ranges nor several ranges nor {@code If-Range}.
 * <ul>
 * <li>{@code bytes=N-M}, {@code bytes=N-} and the suffix {@code bytes=-N}; an end past the file is clamped;</li>
 * <li>several ranges are kept in the order asked (a client may rely on it) and not coalesced;</li>
 * <li>ranges that start past the end are dropped; if none is left the answer is 416;</li>
 * <li>a header with bad syntax or another unit than {@code bytes} is ignored, as RFC 9110 allows: the whole file
 * is sent;</li>
 * <li>more than {@code maxRanges} ranges, or ranges adding up to more than the file (overlaps used to make the
 * server send a file many times), are answered with the whole file rather than an error, so that a client still
 * gets what it wants at the cost of one copy.</li>
 * </ul>
 */
public final class RangeParser {

    private static final String UNIT = "bytes";

    private RangeParser() {
    }

    /**
     * @param header the {@code Range} header, or {@code null}
     * @param length the file's size in bytes
     * @param maxRanges the most ranges allowed; {@code 0} ignores every Range header
     * @return what to send
     */
    public static RangeOutcome parse(String header, long length, int maxRanges) {
        if (header == null) {
            return new RangeOutcome.Whole("no Range header");
        }
        if (maxRanges <= 0) {
            return new RangeOutcome.Whole("ranges disabled");
        }
        int equals = header.indexOf('=');
        if (equals < 0) {
            return new RangeOutcome.Whole("invalid syntax");
        }
        // the unit is a token compared case-insensitively (RFC 9110 14.1); no blanks around it
        String unit = header.substring(0, equals);
        if (!unit.equalsIgnoreCase(UNIT)) {
            return new RangeOutcome.Whole(isToken(unit) ? "unknown unit" : "invalid syntax");
        }
        List<long[]> specs = new ArrayList<>();
        for (String element : header.substring(equals + 1).split(",", -1)) {
            String spec = trimOws(element);
            if (spec.isEmpty()) {
                // empty list elements do not count (RFC 9110 5.6.1.2)
                continue;
            }
            long[] parsed = parseSpec(spec);
            if (parsed == null) {
                return new RangeOutcome.Whole("invalid syntax");
            }
            specs.add(parsed);
        }
        if (specs.isEmpty()) {
            return new RangeOutcome.Whole("invalid syntax");
        }
        if (specs.size() > maxRanges) {
            return new RangeOutcome.Whole("more than " + maxRanges + " ranges");
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        long total = 0;
        for (long[] spec : specs) {
            ByteRange range = resolve(spec, length);
            if (range != null) {
                satisfiable.add(range);
                total += range.length();
            }
        }
        if (satisfiable.isEmpty()) {
            return new RangeOutcome.Unsatisfiable();
        }
        if (total > length) {
            return new RangeOutcome.Whole("ranges add up to more than the file");
        }
        return new RangeOutcome.Partial(satisfiable);
    }

    /** @return {first, last} with -1 for an absent part, or {@code null} for bad syntax */
    private static long[] parseSpec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0 || dash != spec.lastIndexOf('-')) {
            return null;
        }
        String first = spec.substring(0, dash);
        String last = spec.substring(dash + 1);
        if (first.isEmpty()) {
            // suffix-range: "-" suffix-length
            long suffix = digits(last);
            return suffix < 0 ? null : new long[] { -1, suffix };
        }
        long firstPos = digits(first);
        if (firstPos < 0) {
            return null;
        }
        if (last.isEmpty()) {
            return new long[] { firstPos, -1 };
        }
        long lastPos = digits(last);
        // last < first makes the range invalid (RFC 9110 14.1.1), and with it the header
        if (lastPos < 0 || lastPos < firstPos) {
            return null;
        }
        return new long[] { firstPos, lastPos };
    }

    private static ByteRange resolve(long[] spec, long length) {
        if (spec[0] < 0) {
            long suffix = spec[1];
            if (suffix == 0 || length == 0) {
                return null;
            }
            return new ByteRange(Math.max(0, length - suffix), length - 1);
        }
        if (spec[0] >= length) {
            return null;
        }
        long last = spec[1] < 0 ? length - 1 : Math.min(spec[1], length - 1);
        return new ByteRange(spec[0], last);
    }

    /** @return the value of 1*DIGIT, saturated at Long.MAX_VALUE, or -1 when it is not 1*DIGIT */
    private static long digits(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                value = Long.MAX_VALUE;
            } else if (value != Long.MAX_VALUE) {
                value = value * 10 + (c - '0');
            }
        }
        return value;
    }

    private static String trimOws(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
