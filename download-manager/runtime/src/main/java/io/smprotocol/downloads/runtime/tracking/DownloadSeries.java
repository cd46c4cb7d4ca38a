package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /smprotocol/api/downloads/series} answers: the downloads started in each UTC hour or day, for
 * charts. Hours and days without any download are left out.
 *
 * @param interval {@code hour} or {@code day}
 * @param buckets oldest first
 */
public record DownloadSeries(String interval, List<Bucket> buckets) {

    /**
     * @param start the first instant of the hour or day (UTC)
     * @param started downloads started in it
     * @param completed of which completed (by now)
     * @param bytesSent the file bytes their requests sent
     * @param coveredBytes the distinct file bytes they delivered
     */
    public record Bucket(Instant start, long started, long completed, long bytesSent, long coveredBytes) {
    }

    /** The width of a bucket, and how MongoDB names it ({@code $dateToString}, always UTC). */
    public enum Interval {
        HOUR("%Y-%m-%dT%H:00:00Z"),
        DAY("%Y-%m-%dT00:00:00Z");

        private final String format;

        Interval(String format) {
            this.format = format;
        }

        /** @return the {@code $dateToString} format of a bucket's start */
        String format() {
            return format;
        }

        /** @return the name in the API */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * @param key what {@link #format()} made
         * @return the instant it names
         */
        Instant start(String key) {
            return Instant.parse(key);
        }

        /**
         * @param value the query parameter, {@code hour} or {@code day}
         * @return the interval, or {@code null} for anything else
         */
        public static Interval of(String value) {
            for (Interval interval : values()) {
                if (interval.label().equalsIgnoreCase(value)) {
                    return interval;
                }
            }
            return null;
        }
    }
}
