package io.smprotocol;

import java.time.Instant;

/**
 * A listener's state and counters at one moment: a protocol's, or the download manager's ({@code download}).
 *
 * @param name the protocol's name, or {@code download}
 * @param state its listener's state
 * @param host the configured address
 * @param port the port listened on, or -1 when not listening
 * @param openConnections connections open now
 * @param acceptedConnections connections accepted since the application started
 * @param refusedConnections connections refused by a limit since the application started
 * @param lines lines received since the application started (HTTP requests, for the download manager)
 * @param failure why the listener failed, or {@code null}
 * @param startedAt when the listener last started listening, or {@code null}
 * @param starts how many times it started listening: 1 after the application's start, one more per restart
 */
public record ListenerStatus(String name, ListenerState state, String host, int port, int openConnections,
        long acceptedConnections, long refusedConnections, long lines, String failure, Instant startedAt,
        long starts) {
}
