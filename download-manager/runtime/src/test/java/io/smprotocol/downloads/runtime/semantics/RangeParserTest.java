package io.smprotocol.downloads.runtime.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smprotocol.download.ByteRange;

/**
 * Every rule of the Range header, as a table: header, file length, max ranges, and the expected outcome written as
 * {@code 200}, {@code 416} or the served ranges ({@code 0-499,600-}).
 */
class RangeParserTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // no header, simple forms
                Arguments.of(null, 1000, 16, "200"),
                Arguments.of("bytes=0-499", 1000, 16, "0-499"),
                Arguments.of("bytes=500-999", 1000, 16, "500-999"),
                Arguments.of("bytes=500-", 1000, 16, "500-999"),
                Arguments.of("bytes=-200", 1000, 16, "800-999"),
                Arguments.of("bytes=0-0", 1000, 16, "0-0"),
                Arguments.of("bytes=999-999", 1000, 16, "999-999"),
                // end past the file is clamped; a suffix longer than the file is the whole file
                Arguments.of("bytes=900-5000", 1000, 16, "900-999"),
                Arguments.of("bytes=-5000", 1000, 16, "0-999"),
                Arguments.of("bytes=0-99999999999999999999999", 1000, 16, "0-999"),
                // unit is case-insensitive; blanks around list elements and empty elements are allowed
                Arguments.of("BYTES=0-9", 1000, 16, "0-9"),
                Arguments.of("bytes= 0-9 ,\t20-29 ", 1000, 16, "0-9,20-29"),
                Arguments.of("bytes=0-9,,20-29", 1000, 16, "0-9,20-29"),
                // several ranges keep their order
                Arguments.of("bytes=500-599,0-99", 1000, 16, "500-599,0-99"),
                Arguments.of("bytes=0-0,-1", 1000, 16, "0-0,999-999"),
                // unsatisfiable ones are dropped while one remains; all unsatisfiable → 416
                Arguments.of("bytes=0-9,2000-3000", 1000, 16, "0-9"),
                Arguments.of("bytes=1000-", 1000, 16, "416"),
                Arguments.of("bytes=1000-2000", 1000, 16, "416"),
                Arguments.of("bytes=-0", 1000, 16, "416"),
                Arguments.of("bytes=1000-,2000-", 1000, 16, "416"),
                Arguments.of("bytes=0-", 0, 16, "416"),
                Arguments.of("bytes=-5", 0, 16, "416"),
                Arguments.of("bytes=99999999999999999999999-", 1000, 16, "416"),
                // bad syntax or unknown unit: ignored, whole file
                Arguments.of("bytes=abc", 1000, 16, "200"),
                Arguments.of("bytes=5-1", 1000, 16, "200"),
                Arguments.of("bytes=0-9,5-1", 1000, 16, "200"),
                Arguments.of("bytes=--5", 1000, 16, "200"),
                Arguments.of("bytes=1-2-3", 1000, 16, "200"),
                Arguments.of("bytes=-", 1000, 16, "200"),
                Arguments.of("bytes=", 1000, 16, "200"),
                Arguments.of("bytes=+1-2", 1000, 16, "200"),
                Arguments.of("bytes=0x10-20", 1000, 16, "200"),
                Arguments.of("bytes 0-9", 1000, 16, "200"),
                Arguments.of("bytes =0-9", 1000, 16, "200"),
                Arguments.of("items=0-9", 1000, 16, "200"),
                Arguments.of("=0-9", 1000, 16, "200"),
                Arguments.of("", 1000, 16, "200"),
                // limits: more ranges than allowed, or more bytes than the file → whole file
                Arguments.of("bytes=0-1,2-3,4-5", 1000, 2, "200"),
                Arguments.of("bytes=0-1,2-3", 1000, 2, "0-1,2-3"),
                Arguments.of("bytes=0-999,0-999", 1000, 16, "200"),
                Arguments.of("bytes=0-600,400-999", 1000, 16, "200"),
                Arguments.of("bytes=0-499,400-899", 1000, 16, "0-499,400-899"),
                Arguments.of("bytes=0-9", 1000, 0, "200"));
    }

    @ParameterizedTest(name = "[{index}] Range: {0} on {1} bytes, max {2} -> {3}")
    @MethodSource("table")
    void parses(String header, long length, int maxRanges, String expected) {
        assertThat(describe(RangeParser.parse(header, length, maxRanges), length)).isEqualTo(expected);
    }

    private static String describe(RangeOutcome outcome, long length) {
        if (outcome instanceof RangeOutcome.Whole) {
            return "200";
        }
        if (outcome instanceof RangeOutcome.Unsatisfiable) {
            return "416";
        }
        List<String> parts = new ArrayList<>();
        for (ByteRange range : ((RangeOutcome.Partial) outcome).ranges()) {
            assertThat(range.last()).isLessThan(length);
            parts.add(range.first() + "-" + range.last());
        }
        return String.join(",", parts);
    }
}
