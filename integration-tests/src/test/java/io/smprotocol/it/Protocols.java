package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.smprotocol.ListenerState;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * Finds the demo's protocols and the ports they listen on (the test profile binds port 0).
 */
final class Protocols {

    private Protocols() {
    }

    static ProtocolServer server(ProtocolManager manager, String name) {
        return manager.protocol(name).orElseThrow(() -> new AssertionError("the application has no protocol " + name));
    }

    /** @return the port the protocol listens on; fails when it is not running */
    static int port(ProtocolManager manager, String name) {
        ProtocolServer server = server(manager, name);
        assertThat(server.state()).as("state of %s (failure: %s)", name, server.failure())
                .isEqualTo(ListenerState.RUNNING);
        int port = server.port();
        assertThat(port).as("port of %s", name).isPositive();
        return port;
    }

    /** Waits until the protocol has exactly {@code expected} open connections. */
    static void awaitOpenConnections(ProtocolServer server, int expected) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(server.openConnections())
                        .as("open connections of %s", server.name()).isEqualTo(expected));
    }

    /** Waits until every client connection of earlier tests is released, and returns that count (0). */
    static int awaitNoConnections(ProtocolServer server) {
        awaitOpenConnections(server, 0);
        return 0;
    }
}
