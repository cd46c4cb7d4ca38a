package io.smprotocol.runtime.server;

import java.time.Instant;

/**
 * A protocol's state and counters at one moment.
 *
 * @param name the protocol's name
 * @param state its listener's state
 * @param host the configured address
 * @param port the port listened on, or -1 when not listening
 * @param openConnections connections open now
 * @param acceptedConnections connections accepted since the application started
 * @param refusedConnections connections refused by a limit since the application started
 * @param lines lines received since the application started (HTTP requests, for the download manager)
 * @param failure why the protocol failed, or {@code null}
 * @param startedAt when the listener last started listening, or {@code null}
 * @param starts how many times it started listening: 1 after the application's start, one more per restart
 */
public record ProtocolStatus(String name, ProtocolState state, String host, int port, int openConnections,
        long acceptedConnections, long refusedConnections, long lines, String failure, Instant startedAt,
        long starts) {

    static ProtocolStatus of(ManagedListener server) {
        return new ProtocolStatus(server.name(), server.state(), server.host(), server.port(),
                server.openConnections(), server.acceptedConnections(), server.refusedConnections(),
                server.linesReceived(), server.failure(), server.startedAt(), server.starts());
    }
}
