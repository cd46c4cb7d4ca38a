package io.smprotocol.downloads.runtime.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a file that were delivered, as a union of intervals: sorted, disjoint, and never touching (adjacent
 * intervals are merged). Adding a range that was already delivered changes nothing, so bytes sent twice (a resumed
 * download overlapping what it had, eight connections racing) are covered once.
 * <p>
 * Not thread-safe: a tracker keeps one per logical download on its own thread.
 */
public final class Coverage {

    /** {@code first, last} pairs, both ends inclusive, sorted by {@code first}. */
    private final List<long[]> intervals = new ArrayList<>();

    /** @return an empty coverage */
    public Coverage() {
    }

    /**
     * @param intervals {@code [first, last]} pairs in any order, overlapping or not
     * @return their union
     */
    public static Coverage of(List<Interval> intervals) {
        Coverage coverage = new Coverage();
        if (intervals != null) {
            for (Interval interval : intervals) {
                coverage.add(interval.first(), interval.last());
            }
        }
        return coverage;
    }

    /**
     * Adds the bytes {@code first..last}, both inclusive.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset; nothing is added when it is below {@code first}
     */
    public void add(long first, long last) {
        if (first < 0 || last < first) {
            return;
        }
        long start = first;
        long end = last;
        int i = 0;
        // skip the intervals that end before this one starts and do not touch it
        while (i < intervals.size() && intervals.get(i)[1] < start - 1) {
            i++;
        }
        // absorb every interval that overlaps or touches
        while (i < intervals.size() && intervals.get(i)[0] <= end + 1) {
            long[] absorbed = intervals.remove(i);
            start = Math.min(start, absorbed[0]);
            end = Math.max(end, absorbed[1]);
        }
        intervals.add(i, new long[] { start, end });
    }

    /**
     * Adds every interval of another coverage.
     *
     * @param other what to add
     */
    public void addAll(Coverage other) {
        for (long[] interval : other.intervals) {
            add(interval[0], interval[1]);
        }
    }

    /** @return the number of distinct bytes covered */
    public long covered() {
        long total = 0;
        for (long[] interval : intervals) {
            total += interval[1] - interval[0] + 1;
        }
        return total;
    }

    /**
     * @param size the file's size
     * @return whether every byte of a file of that size is covered (always for an empty file)
     */
    public boolean complete(long size) {
        if (size <= 0) {
            return true;
        }
        return intervals.size() == 1 && intervals.get(0)[0] == 0 && intervals.get(0)[1] >= size - 1;
    }

    /** @return the intervals, sorted */
    public List<Interval> intervals() {
        List<Interval> copy = new ArrayList<>(intervals.size());
        for (long[] interval : intervals) {
            copy.add(new Interval(interval[0], interval[1]));
        }
        return copy;
    }

    /** @return a copy that this one's later changes do not affect */
    public Coverage copy() {
        Coverage copy = new Coverage();
        for (long[] interval : intervals) {
            copy.intervals.add(interval.clone());
        }
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (long[] interval : intervals) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(interval[0]).append('-').append(interval[1]);
        }
        return text.toString();
    }

    /**
     * A range of bytes, both ends inclusive.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset
     */
    public record Interval(long first, long last) {
    }
}
