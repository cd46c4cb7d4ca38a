package io.smprotocol.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

/**
 * How many commands of each verb the demo's redis proxy relayed.
 */
@Singleton
public class CommandCounts {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String verb) {
        counts.computeIfAbsent(verb, ignored -> new LongAdder()).increment();
    }

    /** @return the counts by verb, in verb order */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((verb, count) -> snapshot.put(verb, count.sum()));
        return snapshot;
    }

    /** Starts counting again from zero. */
    public void reset() {
        counts.clear();
    }
}
