package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerState;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * The demo exactly as configured for tests (no test profile): both protocols on port 0, which must pick a free port
 * and listen on it with every event loop.
 * <p>
 * Regression test: before commit b020237, {@code ProtocolServer.start()} bound the first verticle to port 0 and the
 * other event loops' verticles to the port it got; Vert.x does not register a port-0 server for sharing, so those
 * binds failed with "Address already in use" and the protocol was FAILED on any machine with more than one event
 * loop. Fixed in b020237 (a negative port, which Vert.x shares among the verticles).
 */
@QuarkusTest
class PortZeroListenerTest {

    @Inject
    ProtocolManager manager;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.port")
    int pingPort;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.port")
    int smtpPort;

    @Test
    void theDemoTestConfigurationBindsPortZero() {
        assertThat(pingPort).isZero();
        assertThat(smtpPort).isZero();
    }

    @Test
    void protocolsOnPortZeroListenOnAFreePort() throws Exception {
        for (String name : new String[] { "ping", "smtp" }) {
            ProtocolServer server = Protocols.server(manager, name);
            assertThat(server.state()).as("state of %s on port 0 (failure: %s)", name, server.failure())
                    .isEqualTo(ListenerState.RUNNING);
            assertThat(server.port()).as("port of %s", name).isPositive();
        }
        try (LineClient client = LineClient.connect(Protocols.port(manager, "ping"))) {
            assertThat(client.command("PING")).isEqualTo("+PONG");
        }
        try (LineClient client = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
        }
    }
}
