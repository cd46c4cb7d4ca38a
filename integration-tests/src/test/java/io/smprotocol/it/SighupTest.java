package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerState;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * SIGHUP sent to the application's process restarts every protocol, like the original daemon.
 */
@QuarkusTest
class SighupTest {

    @Inject
    ProtocolManager manager;

    @Test
    void sighupRestartsEveryProtocol() throws Exception {
        Map<String, Long> startsBefore = new HashMap<>();
        for (ProtocolServer server : manager.protocols()) {
            assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
            startsBefore.put(server.name(), server.starts());
        }
        try (LineClient smtp = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(smtp.readLine()).startsWith("220 ");

            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ProtocolServer server : manager.protocols()) {
                    assertThat(server.starts()).as("starts of %s", server.name())
                            .isEqualTo(startsBefore.get(server.name()) + 1);
                    assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
                }
            });
            assertThat(smtp.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
        }
        try (LineClient ping = LineClient.connect(Protocols.port(manager, "ping"))) {
            assertThat(ping.command("PING")).isEqualTo("+PONG");
        }
    }
}
