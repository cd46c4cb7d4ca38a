package io.smprotocol.runtime.server;

/**
 * What one connection counted since it last wrote: lines, bytes sent, and its commands, replies and hook durations,
 * merged while the verb (or hook) stays the same. The connection hands it to the protocol's shared counters once per
 * write batch, before the replies go out: a client pipelining sixteen {@code PING}s costs one update of each shared
 * counter instead of sixteen (each one an atomic write that the event loops contend for). Confined to the
 * connection's event loop.
 */
final class CommandTally {

    private final ProtocolServer server;

    private long lines;
    private long bytesOut;

    private String receivedVerb;
    private long received;
    private long receivedBytes;

    private String answeredVerb;
    private long answered;
    private long errors;
    private long latencyNanos;
    private long maxLatencyNanos;

    private String hook;
    private long hookCalls;
    private long hookNanos;

    CommandTally(ProtocolServer server) {
        this.server = server;
    }

    void line() {
        lines++;
    }

    void lines(int count) {
        lines += count;
    }

    void bytesOut(long bytes) {
        bytesOut += bytes;
    }

    /**
     * @param verb the command's verb
     * @param bytes its size
     * @param hooked whether an {@code @OnCommand} hook takes the verb
     * @return the verb it is counted under (itself, or {@link CommandStatistics#OTHER})
     */
    String received(String verb, long bytes, boolean hooked) {
        String counted = server.countedVerb(verb, hooked);
        if (!counted.equals(receivedVerb)) {
            flushReceived();
            receivedVerb = counted;
        }
        received++;
        receivedBytes += bytes;
        return counted;
    }

    void answered(String countedVerb, long nanos, boolean error) {
        if (!countedVerb.equals(answeredVerb)) {
            flushAnswered();
            answeredVerb = countedVerb;
        }
        answered++;
        if (error) {
            errors++;
        }
        latencyNanos += nanos;
        maxLatencyNanos = Math.max(maxLatencyNanos, nanos);
    }

    void hookCalled(String description, long nanos) {
        hookCalled(description, 1, nanos);
    }

    /** Several calls of a hook made in one go (raw lines), taking {@code nanos} in all. */
    void hookCalled(String description, int calls, long nanos) {
        if (!description.equals(hook)) {
            flushHook();
            hook = description;
        }
        hookCalls += calls;
        hookNanos += nanos;
    }

    /** Hands everything counted so far to the protocol's statistics and metrics. */
    void flush() {
        if (lines > 0) {
            server.countLines(lines);
            lines = 0;
        }
        if (bytesOut > 0) {
            server.metrics().bytesOut(bytesOut);
            bytesOut = 0;
        }
        flushReceived();
        flushAnswered();
        flushHook();
    }

    private void flushReceived() {
        if (received > 0) {
            server.commandsReceived(receivedVerb, received, receivedBytes);
            received = 0;
            receivedBytes = 0;
        }
    }

    private void flushAnswered() {
        if (answered > 0) {
            server.commandsAnswered(answeredVerb, answered, errors, latencyNanos, maxLatencyNanos);
            answered = 0;
            errors = 0;
            latencyNanos = 0;
            maxLatencyNanos = 0;
        }
    }

    private void flushHook() {
        if (hookCalls > 0) {
            server.metrics().hookDurations(hook, hookCalls, hookNanos);
            hookCalls = 0;
            hookNanos = 0;
        }
    }
}
