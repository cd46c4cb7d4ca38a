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

    default void line() {
    }

    /**
     * @param verb the command's verb, bounded by {@link CommandStatistics#bounded(String)}
     */
    default void command(String verb) {
    }

    /**
     * @param verb the command's verb, bounded by {@link CommandStatistics#bounded(String)}
     * @param latencyNanos from the command to its reply (proxy: the backend's first reply)
     * @param error whether the reply was an error, or the hook failed
     */
    default void commandAnswered(String verb, long latencyNanos, boolean error) {
    }

    default void hookFailed() {
    }

    /** Proxy mode: a client's backend could not be reached. */
    default void backendUnavailable() {
    }

    /**
     * @param hook the hook's {@code Class#method()} description
     * @param nanos how long it took, from its call to its (asynchronous) result
     */
    default void hookDuration(String hook, long nanos) {
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
