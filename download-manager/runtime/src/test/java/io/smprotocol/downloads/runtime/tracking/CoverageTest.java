package io.smprotocol.downloads.runtime.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CoverageTest {

    @Test
    void mergesOverlappingAndAdjacentRanges() {
        Coverage coverage = new Coverage();
        coverage.add(100, 199);
        coverage.add(0, 49);
        coverage.add(50, 99); // touches both: one interval
        assertThat(coverage.intervals()).containsExactly(new Coverage.Interval(0, 199));
        coverage.add(150, 250);
        coverage.add(300, 399);
        assertThat(coverage.intervals()).containsExactly(new Coverage.Interval(0, 250),
                new Coverage.Interval(300, 399));
        assertThat(coverage.covered()).isEqualTo(351);
        assertThat(coverage.complete(400)).isFalse();
        coverage.add(251, 299);
        assertThat(coverage.complete(400)).isTrue();
        assertThat(coverage.toString()).isEqualTo("0-399");
    }

    @Test
    void bytesSentTwiceAreCoveredOnce() {
        Coverage coverage = new Coverage();
        for (int i = 0; i < 5; i++) {
            coverage.add(0, 999);
        }
        assertThat(coverage.covered()).isEqualTo(1000);
        coverage.add(5, 2); // not a range
        coverage.add(-1, 3);
        assertThat(coverage.covered()).isEqualTo(1000);
    }

    @Test
    void agreesWithABitmapOnRandomRanges() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            int size = 1 + random.nextInt(300);
            boolean[] bits = new boolean[size];
            Coverage coverage = new Coverage();
            for (int i = 0; i < 1 + random.nextInt(12); i++) {
                int first = random.nextInt(size);
                int last = first + random.nextInt(size - first);
                coverage.add(first, last);
                for (int b = first; b <= last; b++) {
                    bits[b] = true;
                }
            }
            long expected = 0;
            boolean all = true;
            for (boolean bit : bits) {
                expected += bit ? 1 : 0;
                all &= bit;
            }
            assertThat(coverage.covered()).isEqualTo(expected);
            assertThat(coverage.complete(size)).isEqualTo(all);
            // sorted, disjoint, not touching
            List<Coverage.Interval> intervals = coverage.intervals();
            for (int i = 1; i < intervals.size(); i++) {
                assertThat(intervals.get(i).first()).isGreaterThan(intervals.get(i - 1).last() + 1);
            }
            assertThat(Coverage.of(intervals).covered()).isEqualTo(expected);
        }
    }

    @Test
    void anEmptyFileIsCompleteOnceAsked() {
        assertThat(new Coverage().complete(0)).isTrue();
        assertThat(new Coverage().complete(1)).isFalse();
    }
}
