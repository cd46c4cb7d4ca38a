package io.smprotocol.deployment.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.deployment.validation.BuildFailures;

/**
 * Applications whose listeners are configured on one port, and the start failure each must get.
 */
final class PortConflictApps {

    private PortConflictApps() {
    }

    /** @return a port free now; the test configures two listeners on it and neither ever binds it */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param expected what the failure's message must contain, each
     * @return an application with protocols {@code first} and {@code second}, on free ports unless configured
     *         otherwise, whose start must fail with a message containing every expected text
     */
    static QuarkusUnitTest failingWith(String... expected) {
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(First.class, Second.class, BuildFailures.class))
                .overrideConfigKey("quarkus.smprotocol.banner", "false")
                .overrideConfigKey("quarkus.http.test-port", "0")
                .overrideConfigKey("quarkus.smprotocol.protocols.first.port", "0")
                .overrideConfigKey("quarkus.smprotocol.protocols.second.port", "0")
                .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                        .contains(expected)
                        .contains("give each listener its own port"));
    }

    @Protocol("first")
    public static class First {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }

    @Protocol("second")
    public static class Second {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }
}
