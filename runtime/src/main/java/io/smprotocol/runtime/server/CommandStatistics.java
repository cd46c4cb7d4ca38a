package io.smprotocol.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.smprotocol.CommandCount;

/**
 * Per-command statistics of one protocol: how many commands of each verb arrived, their bytes, how many failed, and
 * their latency: in proxy mode from forwarding the command to the backend's first reply, otherwise from receiving it
 * to writing the hook's reply. Verbs without a hook are bounded, so that a client sending arbitrary words cannot grow
 * memory.
 */
public final class CommandStatistics {

    /** The verb counted for commands past the bound or not shaped like a verb. */
    public static final String OTHER = "OTHER";
    private static final int MAX_VERBS = 256;
    private static final int MAX_VERB_LENGTH = 32;

    private final Map<String, VerbStatistics> verbs = new ConcurrentHashMap<>();

    /** The counters of one verb. */
    public static final class VerbStatistics {
        /** The verb, one instance for all its commands: compared by reference, its hash computed once. */
        private final String verb;
        private final LongAdder count = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder replies = new LongAdder();
        private final LongAdder latencyNanos = new LongAdder();
        /** Read before it is written: it rarely changes, so commands share its cache line without contention. */
        private final AtomicLong maxLatencyNanos = new AtomicLong();

        private VerbStatistics(String verb) {
            this.verb = verb;
        }
    }

    /**
     * @param verb a command verb as received (upper case)
     * @return the name the statistics count it under: itself (the instance they hold, once they know the verb), or
     *         {@link #OTHER}
     */
    public String bounded(String verb) {
        VerbStatistics known = verbs.get(verb);
        if (known != null) {
            return known.verb;
        }
        if (verb.isEmpty() || verb.length() > MAX_VERB_LENGTH || verbs.size() >= MAX_VERBS
                || !verb.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
            return OTHER;
        }
        return verb;
    }

    /** Counts {@code count} commands of {@code verb} (already {@link #bounded(String)}) and their bytes. */
    public void received(String verb, long count, long bytes) {
        VerbStatistics statistics = of(verb);
        statistics.count.add(count);
        statistics.bytes.add(bytes);
    }

    /**
     * Records the outcome of {@code count} commands of {@code verb} (already {@link #bounded(String)}).
     *
     * @param errors how many of them were answered with an error
     * @param totalNanos their latencies, summed
     * @param maxNanos the highest of their latencies
     */
    public void answered(String verb, long count, long errors, long totalNanos, long maxNanos) {
        VerbStatistics statistics = of(verb);
        statistics.replies.add(count);
        statistics.latencyNanos.add(totalNanos);
        if (maxNanos > statistics.maxLatencyNanos.get()) {
            statistics.maxLatencyNanos.accumulateAndGet(maxNanos, Math::max);
        }
        if (errors > 0) {
            statistics.errors.add(errors);
        }
    }

    private VerbStatistics of(String verb) {
        VerbStatistics known = verbs.get(verb);
        return known != null ? known : verbs.computeIfAbsent(verb, VerbStatistics::new);
    }

    /** @return every verb's statistics, most frequent first */
    public List<CommandCount> snapshot() {
        List<CommandCount> snapshots = new ArrayList<>();
        verbs.forEach((verb, statistics) -> {
            long replies = statistics.replies.sum();
            snapshots.add(new CommandCount(verb, statistics.count.sum(), statistics.bytes.sum(), statistics.errors.sum(),
                    replies, replies == 0 ? 0 : statistics.latencyNanos.sum() / 1e6 / replies,
                    statistics.maxLatencyNanos.get() / 1e6));
        });
        snapshots.sort((a, b) -> Long.compare(b.count(), a.count()));
        return snapshots;
    }
}
