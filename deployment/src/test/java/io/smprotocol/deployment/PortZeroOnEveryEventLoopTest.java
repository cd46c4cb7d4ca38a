package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.ListenerState;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * {@code port=0} ("pick a free port") works with several event loops: every protocol listens on its own free port,
 * on every event loop, and the connections of two port-0 protocols never mix.
 * <p>
 * A regression test: {@code ProtocolServer.start()} once bound the first event loop's listener to port 0 and the
 * others to the port it got; Vert.x shares a listener only between servers asking for the same positive (or the
 * same negative) port, so those listeners opened new sockets on a port already bound and the whole protocol failed
 * with "Address already in use". A shared negative port for two protocols would mix their connections instead.
 */
public class PortZeroOnEveryEventLoopTest {

    private static final int EVENT_LOOPS = 4;

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LineClient.class, FirstProtocol.class, SecondProtocol.class))
            .overrideConfigKey("quarkus.smprotocol.banner", "false")
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.vertx.event-loops-pool-size", String.valueOf(EVENT_LOOPS))
            .overrideConfigKey("quarkus.smprotocol.protocols.first.port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.second.port", "0");

    @Protocol("first")
    public static class FirstProtocol {
        @NonBlocking
        @OnCommand("WHO")
        String who() {
            return "first " + Thread.currentThread().getName();
        }
    }

    @Protocol("second")
    public static class SecondProtocol {
        @NonBlocking
        @OnCommand("WHO")
        String who() {
            return "second " + Thread.currentThread().getName();
        }
    }

    @Inject
    ProtocolManager manager;

    @Test
    void everyPortZeroProtocolListensOnItsOwnFreePort() {
        ProtocolServer first = manager.protocol("first").orElseThrow();
        ProtocolServer second = manager.protocol("second").orElseThrow();
        assertThat(first.state()).as("first: %s", first.failure()).isEqualTo(ListenerState.RUNNING);
        assertThat(second.state()).as("second: %s", second.failure()).isEqualTo(ListenerState.RUNNING);
        assertThat(first.port()).isPositive();
        assertThat(second.port()).isPositive().isNotEqualTo(first.port());
    }

    @Test
    void connectionsAreSpreadOverTheEventLoopsAndStayWithTheirProtocol() throws Exception {
        for (String protocol : new String[] { "first", "second" }) {
            Set<String> eventLoops = new HashSet<>();
            for (int i = 0; i < 2 * EVENT_LOOPS; i++) {
                try (LineClient client = LineClient.connect(manager, protocol)) {
                    String reply = client.call("WHO");
                    assertThat(reply).startsWith(protocol + " vert.x-eventloop-thread-");
                    eventLoops.add(reply);
                }
            }
            assertThat(eventLoops).as("event loops serving %s", protocol).hasSizeGreaterThan(1);
        }
    }
}
