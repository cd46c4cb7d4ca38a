package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.ListenerState;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * A protocol whose port is taken fails alone, with the reason, and the other protocols start.
 */
class PortTakenTest {

    static final ServerSocket TAKEN = take();

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Blocked.class, Free.class, LineClient.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.blocked.port", Integer.toString(TAKEN.getLocalPort()))
            .overrideConfigKey("quarkus.smprotocol.protocols.free.port", "0");

    @Inject
    ProtocolManager manager;

    @AfterAll
    static void release() throws IOException {
        TAKEN.close();
    }

    @Test
    void theBlockedProtocolIsFailedWithItsReasonAndTheOtherServes() throws Exception {
        ProtocolServer blocked = manager.protocol("blocked").orElseThrow();
        assertThat(blocked.state()).isEqualTo(ListenerState.FAILED);
        assertThat(blocked.failure()).containsIgnoringCase("address already in use");
        assertThat(blocked.port()).isEqualTo(-1);

        assertThat(manager.protocol("free").orElseThrow().state()).isEqualTo(ListenerState.RUNNING);
        try (LineClient client = LineClient.connect(manager, "free")) {
            assertThat(client.call("PING")).isEqualTo("PONG");
        }
    }

    static ServerSocket take() {
        try {
            return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Protocol("blocked")
    public static class Blocked {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }

    @Protocol("free")
    public static class Free {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }
}
