package io.smprotocol.downloads.runtime.semantics;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 5.6.7): sent as IMF-fixdate, accepted in all three formats a recipient must read.
 */
public final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
    /** In {@link java.time.DayOfWeek} order. */
    private static final String[] DAYS = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    private static final String[] MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec" };

    private HttpDates() {
    }

    /**
     * @param epochSecond seconds since the epoch
     * @return the IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}
     */
    public static String format(long epochSecond) {
        // written field by field: every response has a Last-Modified, and DateTimeFormatter (locale lookups for
        // the names, a walk of the parsed pattern) took about 4% of a small file's event-loop time
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        int year = time.getYear();
        if (year < 1 || year > 9999) {
            // beyond four digits, or before the common era: the formatter's rendering
            return IMF_FIXDATE.format(java.time.Instant.ofEpochSecond(epochSecond));
        }
        StringBuilder text = new StringBuilder(29).append(DAYS[time.getDayOfWeek().ordinal()]).append(", ");
        digits(text, time.getDayOfMonth(), 2).append(' ').append(MONTHS[time.getMonthValue() - 1]).append(' ');
        digits(text, year, 4).append(' ');
        digits(text, time.getHour(), 2).append(':');
        digits(text, time.getMinute(), 2).append(':');
        return digits(text, time.getSecond(), 2).append(" GMT").toString();
    }

    /** Appends {@code value} zero-padded to {@code width} digits. */
    private static StringBuilder digits(StringBuilder text, int value, int width) {
        for (int divisor = width == 4 ? 1000 : 10; divisor > 0; divisor /= 10) {
            text.append((char) ('0' + value / divisor % 10));
        }
        return text;
    }

    /**
     * @param text a date as a client sent it
     * @return its seconds since the epoch, or {@link Long#MIN_VALUE} when it is no HTTP date (the header is then
     *         ignored, as RFC 9110 asks)
     */
    public static long parse(String text) {
        if (text == null) {
            return Long.MIN_VALUE;
        }
        String trimmed = text.trim();
        for (DateTimeFormatter format : new DateTimeFormatter[] { IMF_FIXDATE, RFC_850, ASCTIME }) {
            try {
                return LocalDateTime.parse(trimmed, format).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return Long.MIN_VALUE;
    }
}
