package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * {@code event-loops} keeps a protocol on that many of Vert.x's event loops, while another protocol of the same
 * application uses all of them; a value above the pool size means all of them.
 */
public class EventLoopsSettingTest {

    private static final int EVENT_LOOPS = 4;

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LineClient.class, OneLoop.class, AllLoops.class, TooMany.class))
            .overrideConfigKey("quarkus.smprotocol.banner", "false")
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.vertx.event-loops-pool-size", String.valueOf(EVENT_LOOPS))
            .overrideConfigKey("quarkus.smprotocol.protocols.one-loop.port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.one-loop.event-loops", "1")
            .overrideConfigKey("quarkus.smprotocol.protocols.all-loops.port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.too-many.port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.too-many.event-loops", "64");

    @Protocol("one-loop")
    public static class OneLoop {
        @NonBlocking
        @OnCommand("WHO")
        String who() {
            return Thread.currentThread().getName();
        }
    }

    @Protocol("all-loops")
    public static class AllLoops {
        @NonBlocking
        @OnCommand("WHO")
        String who() {
            return Thread.currentThread().getName();
        }
    }

    @Protocol("too-many")
    public static class TooMany {
        @NonBlocking
        @OnCommand("WHO")
        String who() {
            return Thread.currentThread().getName();
        }
    }

    @Inject
    ProtocolManager manager;

    @Test
    void oneEventLoopServesEveryConnectionOfItsProtocol() throws Exception {
        assertThat(servingThreads("one-loop")).hasSize(1);
        assertThat(servingThreads("all-loops")).hasSizeGreaterThan(1);
    }

    @Test
    void moreEventLoopsThanThePoolHasMeansAllOfThem() throws Exception {
        assertThat(servingThreads("too-many")).hasSizeGreaterThan(1);
    }

    /** @return the event loops that answered 4 connections per event loop of the pool */
    private Set<String> servingThreads(String protocol) throws Exception {
        Set<String> threads = new HashSet<>();
        for (int i = 0; i < 4 * EVENT_LOOPS; i++) {
            try (LineClient client = LineClient.connect(manager, protocol)) {
                String reply = client.call("WHO");
                assertThat(reply).startsWith("vert.x-eventloop-thread-");
                threads.add(reply);
            }
        }
        return threads;
    }
}
