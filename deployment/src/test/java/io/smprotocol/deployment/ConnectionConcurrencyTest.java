package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.Protocol;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * The lines of one connection are handled one at a time, in order, whatever thread their hooks run on and however
 * long they take; a slow hook on one connection does not hold up another connection. Slow hooks wait on latches the
 * test releases.
 */
public class ConnectionConcurrencyTest {

    private static final long HOLD_SECONDS = 30;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("serial", "isolated", "talkative"),
            SerialProtocol.class, IsolatedProtocol.class, TalkativeProtocol.class);

    /** Counts the hooks running at once, so that overlapping hooks of one connection show. */
    @Protocol("serial")
    public static class SerialProtocol {

        final CountDownLatch slowStarted = new CountDownLatch(1);
        final CountDownLatch releaseSlow = new CountDownLatch(1);
        final AtomicInteger fastCalls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        private void enter() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        private void exit() {
            inFlight.decrementAndGet();
        }

        @OnCommand("SLOW")
        String slow() throws InterruptedException {
            enter();
            try {
                slowStarted.countDown();
                return releaseSlow.await(HOLD_SECONDS, TimeUnit.SECONDS) ? "slow done" : "slow never released";
            } finally {
                exit();
            }
        }

        @OnCommand("FAST")
        String fast() {
            enter();
            try {
                fastCalls.incrementAndGet();
                return "fast done";
            } finally {
                exit();
            }
        }

        @OnCommand("WORK")
        String work(Command command) {
            enter();
            try {
                return "work " + command.arguments();
            } finally {
                exit();
            }
        }

        @NonBlocking
        @OnCommand("LOOP")
        String loop(Command command) {
            enter();
            try {
                return "loop " + command.arguments();
            } finally {
                exit();
            }
        }

        /** Completes later on another thread; it is in flight until then. */
        @OnCommand("ASYNC")
        Uni<String> async(Command command) {
            enter();
            return Uni.createFrom().item("async " + command.arguments())
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .eventually(this::exit);
        }
    }

    /** Sends a line of its own before its reply. */
    @Protocol("talkative")
    public static class TalkativeProtocol {

        @OnCommand("SEND")
        String send(Session session, Command command) {
            session.send("sent " + command.arguments());
            return "returned " + command.arguments();
        }

        @NonBlocking
        @OnCommand("LOOPSEND")
        String loopSend(Session session, Command command) {
            session.send("sent " + command.arguments());
            return "returned " + command.arguments();
        }
    }

    @Protocol("isolated")
    public static class IsolatedProtocol {

        final CountDownLatch holdStarted = new CountDownLatch(1);
        final CountDownLatch releaseHold = new CountDownLatch(1);
        final CountDownLatch pendingStarted = new CountDownLatch(1);
        final CompletableFuture<String> pending = new CompletableFuture<>();
        final CountDownLatch closingHoldStarted = new CountDownLatch(1);
        final CountDownLatch releaseClosingHold = new CountDownLatch(1);
        final Map<String, CloseReason> closes = new ConcurrentHashMap<>();

        @OnConnect
        String greet(Session session) {
            return "220 " + session.id();
        }

        /** Holds a worker thread until released. */
        @OnCommand("HOLD")
        String hold() throws InterruptedException {
            holdStarted.countDown();
            return releaseHold.await(HOLD_SECONDS, TimeUnit.SECONDS) ? "hold released" : "hold never released";
        }

        /** Holds nothing but the connection: its result comes when the test completes it. */
        @OnCommand("PENDING")
        Uni<String> pending() {
            pendingStarted.countDown();
            return Uni.createFrom().completionStage(pending);
        }

        @OnCommand("CLOSINGHOLD")
        String closingHold() throws InterruptedException {
            closingHoldStarted.countDown();
            return releaseClosingHold.await(HOLD_SECONDS, TimeUnit.SECONDS) ? "released" : "never released";
        }

        @OnCommand("PING")
        String ping() {
            return "PONG";
        }

        @NonBlocking
        @OnCommand("LOOPPING")
        String loopPing() {
            return "LOOPPONG";
        }

        @OnClose
        void closed(Session session, CloseReason reason) {
            closes.put(session.id(), reason);
        }
    }

    @Inject
    SerialProtocol serial;

    @Inject
    IsolatedProtocol isolated;

    @Inject
    ProtocolManager manager;

    @Test
    void aPipelinedLineWaitsForTheSlowLineBeforeIt() throws Exception {
        try (LineClient client = LineClient.connect(manager, "serial")) {
            client.sendRaw("SLOW\r\nFAST\r\n");
            assertThat(serial.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // while SLOW is held, FAST does not run and nothing is answered
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> serial.fastCalls.get() == 0);
            assertThat(client.available()).isZero();

            serial.releaseSlow.countDown();
            assertThat(client.readLine()).isEqualTo("slow done");
            assertThat(client.readLine()).isEqualTo("fast done");
            assertThat(serial.fastCalls.get()).isEqualTo(1);
        }
        assertThat(serial.maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void pipelinedLinesAreAnsweredInOrderOneAtATimeWhateverTheirThread() throws Exception {
        List<String> expected = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        String[] verbs = { "ASYNC", "WORK", "LOOP" };
        for (int i = 0; i < 90; i++) {
            String verb = verbs[i % verbs.length];
            lines.append(verb).append(' ').append(i).append("\r\n");
            expected.add(verb.toLowerCase() + " " + i);
        }
        try (LineClient client = LineClient.connect(manager, "serial")) {
            client.sendRaw(lines.toString());
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                replies.add(client.readLine());
            }
            assertThat(replies).containsExactlyElementsOf(expected);
        }
        assertThat(serial.maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void linesAnEventLoopHookSendsComeBeforeItsReply() throws Exception {
        sentLinesComeBeforeTheReply("LOOPSEND");
    }

    /**
     * {@code Session.send} sends "now": what a hook sends comes before the reply it returns, also when the client
     * pipelines its lines. Each line is a chance for the hook's reply to be written before the lines it sent, so the
     * test sends many.
     */
    @Test
    void linesAWorkerHookSendsComeBeforeItsReply() throws Exception {
        sentLinesComeBeforeTheReply("SEND");
    }

    private void sentLinesComeBeforeTheReply(String verb) throws Exception {
        try (LineClient client = LineClient.connect(manager, "talkative")) {
            for (int write = 0; write < 4; write++) {
                StringBuilder lines = new StringBuilder();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    lines.append(verb).append(' ').append(write).append('.').append(i).append("\r\n");
                    expected.add("sent " + write + "." + i);
                    expected.add("returned " + write + "." + i);
                }
                client.sendRaw(lines.toString());
                List<String> replies = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    replies.add(client.readLine());
                }
                assertThat(replies).as("write %d", write).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aHeldWorkerHookDoesNotDelayAnotherConnection() throws Exception {
        try (LineClient held = LineClient.connect(manager, "isolated");
                LineClient other = LineClient.connect(manager, "isolated")) {
            held.readLine();
            other.readLine();
            held.sendRaw("HOLD\r\nPING\r\n");
            assertThat(isolated.holdStarted.await(10, TimeUnit.SECONDS)).isTrue();

            // the other connection is answered while the first one's hook is still held
            assertThat(other.call("PING")).isEqualTo("PONG");
            assertThat(other.call("LOOPPING")).isEqualTo("LOOPPONG");
            assertThat(held.available()).isZero();

            isolated.releaseHold.countDown();
            assertThat(held.readLine()).isEqualTo("hold released");
            assertThat(held.readLine()).isEqualTo("PONG");
        }
    }

    @Test
    void aPendingAsynchronousHookDoesNotDelayAnotherConnection() throws Exception {
        try (LineClient held = LineClient.connect(manager, "isolated");
                LineClient other = LineClient.connect(manager, "isolated")) {
            held.readLine();
            other.readLine();
            held.sendRaw("PENDING\r\nLOOPPING\r\n");
            assertThat(isolated.pendingStarted.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(other.call("LOOPPING")).isEqualTo("LOOPPONG");
            assertThat(other.call("PING")).isEqualTo("PONG");
            assertThat(held.available()).isZero();

            isolated.pending.complete("pending done");
            assertThat(held.readLine()).isEqualTo("pending done");
            assertThat(held.readLine()).isEqualTo("LOOPPONG");
        }
    }

    @Test
    void closeHookWaitsForTheRunningHook() throws Exception {
        String id;
        try (LineClient client = LineClient.connect(manager, "isolated")) {
            id = client.readLine().substring("220 ".length());
            client.send("CLOSINGHOLD");
            assertThat(isolated.closingHoldStarted.await(10, TimeUnit.SECONDS)).isTrue();
        }
        // the client has gone, but its hook still runs: the close hook waits for it
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !isolated.closes.containsKey(id));
        isolated.releaseClosingHold.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> isolated.closes.containsKey(id));
        assertThat(isolated.closes.get(id)).isEqualTo(CloseReason.CLIENT_CLOSED);
    }
}
