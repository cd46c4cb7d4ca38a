package io.smprotocol.downloads.runtime.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smprotocol.downloads.runtime.semantics.Preconditions.Verdict;

class PreconditionsTest {

    static final String TAG = "\"3e8-abc\"";
    static final long MODIFIED = 784111777L; // Sun, 06 Nov 1994 08:49:37 GMT
    static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
    static final String EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT";
    static final String LATER = "Sun, 06 Nov 1994 08:49:38 GMT";

    static Stream<Arguments> conditions() {
        return Stream.of(
                // ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince → verdict
                Arguments.of(null, null, null, null, Verdict.PROCEED),
                Arguments.of(null, null, TAG, null, Verdict.NOT_MODIFIED),
                Arguments.of(null, null, "W/" + TAG, null, Verdict.NOT_MODIFIED),
                Arguments.of(null, null, "\"other\", " + TAG, null, Verdict.NOT_MODIFIED),
                Arguments.of(null, null, "*", null, Verdict.NOT_MODIFIED),
                Arguments.of(null, null, "\"other\"", null, Verdict.PROCEED),
                // If-None-Match wins over If-Modified-Since
                Arguments.of(null, null, "\"other\"", DATE, Verdict.PROCEED),
                Arguments.of(null, null, null, DATE, Verdict.NOT_MODIFIED),
                Arguments.of(null, null, null, LATER, Verdict.NOT_MODIFIED),
                Arguments.of(null, null, null, EARLIER, Verdict.PROCEED),
                Arguments.of(null, null, null, "not a date", Verdict.PROCEED),
                Arguments.of(null, null, null, "Sunday, 06-Nov-94 08:49:37 GMT", Verdict.NOT_MODIFIED),
                Arguments.of(null, null, null, "Sun Nov  6 08:49:37 1994", Verdict.NOT_MODIFIED),
                Arguments.of(TAG, null, null, null, Verdict.PROCEED),
                Arguments.of("*", null, null, null, Verdict.PROCEED),
                Arguments.of("W/" + TAG, null, null, null, Verdict.PRECONDITION_FAILED),
                Arguments.of("\"other\"", null, null, null, Verdict.PRECONDITION_FAILED),
                Arguments.of(null, DATE, null, null, Verdict.PROCEED),
                Arguments.of(null, EARLIER, null, null, Verdict.PRECONDITION_FAILED),
                // If-Match present: If-Unmodified-Since is not looked at
                Arguments.of(TAG, EARLIER, null, null, Verdict.PROCEED));
    }

    @ParameterizedTest(name = "[{index}] If-Match {0}, If-Unmodified-Since {1}, If-None-Match {2}, If-Modified-Since {3}")
    @MethodSource("conditions")
    void evaluates(String ifMatch, String ifUnmodifiedSince, String ifNoneMatch, String ifModifiedSince,
            Verdict expected) {
        assertThat(Preconditions.evaluate(ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, TAG, MODIFIED))
                .isEqualTo(expected);
    }

    @Test
    void ifRangeComparesTagsStronglyAndDatesExactly() {
        assertThat(Preconditions.rangeAllowed(null, TAG, MODIFIED)).isTrue();
        assertThat(Preconditions.rangeAllowed(TAG, TAG, MODIFIED)).isTrue();
        assertThat(Preconditions.rangeAllowed("W/" + TAG, TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeAllowed("\"other\"", TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeAllowed(DATE, TAG, MODIFIED)).isTrue();
        assertThat(Preconditions.rangeAllowed(LATER, TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeAllowed(EARLIER, TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeAllowed("garbage", TAG, MODIFIED)).isFalse();
    }

    @Test
    void datesRoundTrip() {
        assertThat(HttpDates.format(MODIFIED)).isEqualTo(DATE);
        assertThat(HttpDates.parse(DATE)).isEqualTo(MODIFIED);
        assertThat(HttpDates.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
    }

    @Test
    void datesAreFormattedAsTheImfFixdatePatternFormatsThem() {
        DateTimeFormatter pattern = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
        Random random = new Random(20261121);
        List<Long> seconds = new ArrayList<>(List.of(-1L, 0L, 951_782_400L, 4_107_542_399L, 253_402_300_799L,
                253_402_300_800L, -62_135_596_800L, -62_135_596_801L, -99_999_999_999L));
        for (int i = 0; i < 10_000; i++) {
            // years 1 to 9999 and a little beyond both ends
            seconds.add(-63_000_000_000L + (long) (random.nextDouble() * 317_000_000_000L));
        }
        for (long second : seconds) {
            assertThat(HttpDates.format(second)).as("second %d", second)
                    .isEqualTo(pattern.format(Instant.ofEpochSecond(second)));
        }
    }
}
