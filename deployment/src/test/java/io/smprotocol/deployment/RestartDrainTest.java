package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.CloseReason;
import io.smprotocol.ListenerState;
import io.smprotocol.ListenerStatus;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * A restart lets a hook that is already running finish and its reply reach the client, then closes the connection
 * with SERVER_RESTART; a hook that outlives the drain timeout does not hold the restart.
 */
class RestartDrainTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Slow.class, LineClient.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.slow.port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.slow.drain-timeout", "5S");

    @Inject
    ProtocolManager manager;

    /** Connections of an earlier test must have run their close hooks before the reasons are collected again. */
    void reset() {
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.status("slow").openConnections() == 0);
        Slow.reset();
    }

    @Test
    void theReplyOfAnInFlightHookIsDeliveredThenTheConnectionClosesWithServerRestart() throws Exception {
        reset();
        try (LineClient client = LineClient.connect(manager, "slow")) {
            client.send("SLOW");
            assertThat(Slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<ListenerStatus> restart = manager.restart("slow").toCompletableFuture();
            await().atMost(Duration.ofSeconds(5)).until(() -> manager.status("slow").state() == ListenerState.DRAINING);
            assertThat(restart).isNotDone();

            Slow.release.countDown();
            assertThat(client.readLine()).isEqualTo("DONE");
            assertThat(client.readUntilClosed()).isEmpty();
            assertThat(Slow.closeReasons.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.SERVER_RESTART);
            assertThat(restart.get(10, TimeUnit.SECONDS).state()).isEqualTo(ListenerState.RUNNING);
        }
        try (LineClient again = LineClient.connect(manager, "slow")) {
            assertThat(again.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void aHookThatOutlivesTheDrainTimeoutIsCutAndTheProtocolListensAgain() throws Exception {
        reset();
        try (LineClient client = LineClient.connect(manager, "slow")) {
            client.send("SLOW");
            assertThat(Slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            CompletableFuture<ListenerStatus> restart = manager.restart("slow").toCompletableFuture();

            // the connection is closed at the drain timeout, without the reply the hook has not given yet
            assertThat(client.readUntilClosed()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            Slow.release.countDown();
            assertThat(restart.get(20, TimeUnit.SECONDS).state()).isEqualTo(ListenerState.RUNNING);
            assertThat(Slow.closeReasons.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.SERVER_RESTART);
        }
    }

    @Protocol("slow")
    public static class Slow {
        static volatile CountDownLatch entered;
        static volatile CountDownLatch release;
        static final LinkedBlockingQueue<CloseReason> closeReasons = new LinkedBlockingQueue<>();

        static void reset() {
            entered = new CountDownLatch(1);
            release = new CountDownLatch(1);
            closeReasons.clear();
        }

        @OnCommand("SLOW")
        String slow() throws InterruptedException {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return "DONE";
        }

        @OnCommand("PING")
        String ping() {
            return "PONG";
        }

        @OnClose
        void closed(CloseReason reason) {
            closeReasons.add(reason);
        }
    }
}
