package io.smprotocol.downloads.runtime.semantics;

import java.util.List;

/**
 * The conditional request headers, evaluated in the order of RFC 9110 13.2.2.
 */
public final class Preconditions {

    /** What the conditions decide before any range is looked at. */
    public enum Verdict {
        /** Go on: send the representation (or the ranges asked). */
        PROCEED,
        /** 304: the client's copy is current. */
        NOT_MODIFIED,
        /** 412: an {@code If-Match} or {@code If-Unmodified-Since} condition is false. */
        PRECONDITION_FAILED
    }

    private Preconditions() {
    }

    /**
     * @param ifMatch the header, or {@code null}
     * @param ifUnmodifiedSince the header, or {@code null}
     * @param ifNoneMatch the header, or {@code null}
     * @param ifModifiedSince the header, or {@code null}
     * @param etag the file's strong entity tag
     * @param lastModified the file's modification time in whole seconds since the epoch
     * @return what to answer
     */
    public static Verdict evaluate(String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, String etag, long lastModified) {
        if (ifMatch != null) {
            List<String> tags = ETags.list(ifMatch);
            boolean match = tags.contains("*") || tags.stream().anyMatch(tag -> ETags.strongMatch(tag, etag));
            if (!match) {
                return Verdict.PRECONDITION_FAILED;
            }
        } else if (ifUnmodifiedSince != null) {
            long date = HttpDates.parse(ifUnmodifiedSince);
            if (date != Long.MIN_VALUE && lastModified > date) {
                return Verdict.PRECONDITION_FAILED;
            }
        }
        if (ifNoneMatch != null) {
            List<String> tags = ETags.list(ifNoneMatch);
            boolean match = tags.contains("*") || tags.stream().anyMatch(tag -> ETags.weakMatch(tag, etag));
            return match ? Verdict.NOT_MODIFIED : Verdict.PROCEED;
        }
        if (ifModifiedSince != null) {
            long date = HttpDates.parse(ifModifiedSince);
            if (date != Long.MIN_VALUE && lastModified <= date) {
                return Verdict.NOT_MODIFIED;
            }
        }
        return Verdict.PROCEED;
    }

    /**
     * {@code If-Range} (RFC 9110 13.1.5): the ranges are sent only when the validator still matches, so that a
     * resumed download never glues parts of two versions; otherwise the whole file is sent.
     *
     * @param ifRange the header, or {@code null}
     * @param etag the file's strong entity tag
     * @param lastModified the file's modification time in whole seconds since the epoch
     * @return whether a Range header may be honoured
     */
    public static boolean rangeAllowed(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (ETags.isTag(value)) {
            // a weak tag never matches: strong comparison
            return ETags.strongMatch(value, etag);
        }
        long date = HttpDates.parse(value);
        // the date must be exactly the Last-Modified sent, not merely later
        return date != Long.MIN_VALUE && date == lastModified;
    }
}
