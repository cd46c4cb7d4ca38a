package io.smprotocol.runtime.server;

import io.smprotocol.CloseReason;

/**
 * What a protocol reports to a metrics system. Called on event loops: implementations only count.
 */
public interface ProtocolMetrics {

    /** Reports nothing: the application has no metrics extension. */
    ProtocolMetrics NONE = new ProtocolMetrics() {
    };

    default void accepted() {
    }

    default void refused() {
    }

    default void closed(CloseReason reason) {
    }

    default void bytesIn(long bytes) {
    }

    default void bytesOut(long bytes) {
    }

    /** @param count lines (for the download listener: requests) received */
    default void lines(long count) {
    }

    /**
     * @param verb the commands' verb, bounded by {@link CommandStatistics#bounded(String)}
     * @param count how many arrived
     */
    default void commands(String verb, long count) {
    }

    /**
     * @param verb the commands' verb, bounded by {@link CommandStatistics#bounded(String)}
     * @param count how many were answered
     * @param errors how many of them with an error (or a failed hook)
     * @param totalNanos their latencies, summed: from a command to its reply (proxy: the backend's first reply)
     */
    default void commandsAnswered(String verb, long count, long errors, long totalNanos) {
    }

    default void hookFailed() {
    }

    /** Proxy mode: a client's backend could not be reached. */
    default void backendUnavailable() {
    }

    /**
     * @param cause what was wrong with a client's input, one of a small fixed set of words chosen by the listener
     *        (never text from the client), so that the meters stay bounded
     */
    default void badInput(String cause) {
    }

    /**
     * @param hook the hook's {@code Class#method()} description
     * @param calls how many calls
     * @param totalNanos how long they took, summed, each from its call to its (asynchronous) result
     */
    default void hookDurations(String hook, long calls, long totalNanos) {
    }

    /** Creates the metrics of one protocol. */
    interface Factory {

        /**
         * @param listener the protocol (or download manager), whose open connections a gauge may read
         * @return its metrics
         */
        ProtocolMetrics create(ManagedListener listener);
    }
}
