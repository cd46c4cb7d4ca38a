package io.smprotocol.runtime.server;

import java.time.Instant;
import java.util.Map;

import io.smprotocol.CloseReason;
import io.smprotocol.ListenerState;
import io.vertx.core.Future;

/**
 * A listener operators see and act on: every protocol's, and the download manager's. The management endpoints,
 * readiness checks, SIGHUP and the Dev UI work on these.
 */
public interface ManagedListener {

    /** @return the name operators use: the protocol's name, or {@code download} */
    String name();

    /** @return the current state */
    ListenerState state();

    /** @return why the listener failed, or {@code null} */
    String failure();

    /** @return the configured host */
    String host();

    /** @return the port listened on, or -1 when not listening */
    int port();

    /** @return connections open now */
    int openConnections();

    /** @return connections accepted since the application started */
    long acceptedConnections();

    /** @return connections refused by a limit since the application started */
    long refusedConnections();

    /** @return lines received since the application started (HTTP requests, for the download manager) */
    long linesReceived();

    /** @return when the listener last started listening, or {@code null} if it never did */
    Instant startedAt();

    /** @return how many times it started listening: 1 after the application's start, one more per restart */
    long starts();

    /**
     * @return what {@code GET /q/smprotocol/protocols/NAME/stats} lists per command: per verb for a protocol, per
     *         HTTP method for the download listener
     */
    CommandStatistics statistics();

    /**
     * @return counts beside the per-command statistics, by name (numbers or maps of numbers), for the stats endpoint;
     *         none by default
     */
    default Map<String, Object> statisticsDetails() {
        return Map.of();
    }

    /**
     * Drains, stops listening, then listens again with the configuration read again.
     *
     * @return completes when listening again, fails with the reason it could not bind
     */
    Future<Void> restart();

    /**
     * Drains and stops listening.
     *
     * @param reason what closing connections see
     * @return completes when stopped
     */
    Future<Void> stop(CloseReason reason);
}
