package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnReply;
import io.smprotocol.Protocol;
import io.smprotocol.Relay;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Hooks of a proxy, against a backend written in the test that records every line it receives and answers
 * {@code SAY x} with {@code x} and anything else with {@code OK <line>}: a hook rewrites a command
 * ({@link Relay#replace}), answers it itself (the command never reaches the backend), blocks it ({@link Relay#drop()}
 * or an error reply), and {@code @OnReply} rewrites, drops or answers instead of the backend's replies. What reached
 * the backend is checked on the backend side.
 */
class ProxyHooksTest {

    /** Picked when the application is configured; read back from the configuration by the tests. */
    static final int BACKEND_PORT = ServerProgram.freePort();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("hooked", "answering"), HookedProxy.class,
            AnsweringProxy.class, ScriptedBackend.class, ServerProgram.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.hooked.forward.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.hooked.forward.port", String.valueOf(BACKEND_PORT))
            .overrideConfigKey("quarkus.smprotocol.protocols.answering.forward.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.answering.forward.port", String.valueOf(BACKEND_PORT));

    @Protocol("hooked")
    public static class HookedProxy {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        /** Rewrites: the backend gets another command instead. */
        @OnCommand("RENAME")
        Relay rename(Command command) {
            return Relay.replace("GET renamed-" + command.arguments());
        }

        /** Rewrites one command into two. */
        @OnCommand("BOTH")
        Relay both(Command command) {
            return Relay.replace("GET first-" + command.arguments(), "GET second-" + command.arguments());
        }

        /** Answers itself: the command never reaches the backend. */
        @OnCommand("LOCAL")
        String local(Command command) {
            return "LOCAL " + command.arguments();
        }

        /** Blocks with an error reply. */
        @OnCommand("FLUSH_ALL")
        String blocked() {
            return "-ERR blocked";
        }

        /** Blocks silently. */
        @OnCommand("DROPME")
        Relay dropped() {
            return Relay.drop();
        }

        /** Passes on explicitly. */
        @OnCommand("PASS")
        Relay pass() {
            return Relay.forward();
        }

        volatile CountDownLatch lateAnswered = new CountDownLatch(0);

        /** Answers itself, and tells the test it did. */
        @OnCommand("LATE")
        String late(Command command) {
            lateAnswered.countDown();
            return "LATE " + command.arguments();
        }

        /** Answers and closes; the backend never sees it. */
        @OnCommand("QUIT")
        Reply quit() {
            return Reply.close("BYE");
        }

        @OnReply
        Relay reply(String reply) {
            if (reply.startsWith("SECRET")) {
                return Relay.replace("REDACTED");
            }
            if (reply.equals("NOISE")) {
                return Relay.drop();
            }
            if (reply.equals("TWICE")) {
                return Relay.replace("ONE", "TWO");
            }
            return reply.equals("EXPLICIT") ? Relay.forward() : null;
        }

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    /** A reply hook that answers the client itself instead of passing the backend's reply on. */
    @Protocol("answering")
    public static class AnsweringProxy {
        @OnReply
        String reply(Session session, String reply) {
            return reply.equals("QUESTION") ? "ANSWERED BY THE PROXY" : null;
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    HookedProxy hooked;

    ScriptedBackend backend;
    int proxy;
    /** The backend answers {@code SLOW} once this is released. */
    volatile CountDownLatch releaseSlow = new CountDownLatch(0);

    @BeforeEach
    void startBackend() throws Exception {
        backend = ScriptedBackend.lines(ServerProgram.backendPort(manager, "hooked"), line -> {
            if (line.equals("SLOW")) {
                awaitQuietly(releaseSlow);
            }
            return line.startsWith("SAY ") ? line.substring(4) : "OK " + line;
        });
        proxy = LineClient.portOf(manager, "hooked");
        hooked.closes.clear();
    }

    @AfterEach
    void stopBackend() throws Exception {
        if (backend != null) {
            backend.close();
        }
        // every close hook of this test has run (a connection leaves the count after its hook): the next test's
        // close reasons are its own
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.status("hooked").openConnections() == 0);
    }

    @Test
    void withoutAHookOrWithForwardTheCommandAndReplyPassUnchanged() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("GET plain")).isEqualTo("OK GET plain");
            assertThat(client.call("PASS it on")).isEqualTo("OK PASS it on");
        }
        assertThat(backend.lines()).containsExactly("GET plain", "PASS it on");
    }

    @Test
    void aHookRewritesACommand() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("RENAME x")).isEqualTo("OK GET renamed-x");
            assertThat(client.call("BOTH y")).isEqualTo("OK GET first-y");
            assertThat(client.readLine()).isEqualTo("OK GET second-y");
            assertThat(client.call("SAY end")).isEqualTo("end");
        }
        assertThat(backend.lines()).containsExactly("GET renamed-x", "GET first-y", "GET second-y", "SAY end");
        assertThat(new String(backend.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("GET renamed-x\r\nGET first-y\r\nGET second-y\r\nSAY end\r\n");
    }

    @Test
    void aHookThatAnswersKeepsTheCommandFromTheBackend() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("LOCAL hello")).isEqualTo("LOCAL hello");
            // the backend's answer to the next command is the next line: nothing of LOCAL came back from it
            assertThat(client.call("SAY after")).isEqualTo("after");
        }
        assertThat(backend.lines()).containsExactly("SAY after");
    }

    @Test
    void aHookBlocksACommandWithAnErrorOrByDroppingIt() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("FLUSH_ALL")).isEqualTo("-ERR blocked");
            client.send("DROPME please");
            // a dropped command gets no reply: the next line the client reads answers the next command
            assertThat(client.call("SAY still here")).isEqualTo("still here");
        }
        assertThat(backend.lines()).containsExactly("SAY still here");
    }

    @Test
    void aReplyHookRewritesDropsOrAnswersInsteadOfTheBackend() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("SAY SECRET 42")).isEqualTo("REDACTED");
            client.send("SAY NOISE");
            assertThat(client.call("SAY TWICE")).isEqualTo("ONE");
            assertThat(client.readLine()).isEqualTo("TWO");
            assertThat(client.call("SAY EXPLICIT")).isEqualTo("EXPLICIT");
            assertThat(client.call("SAY untouched")).isEqualTo("untouched");
        }
        // every command reached the backend: only their replies were changed
        assertThat(backend.lines()).containsExactly("SAY SECRET 42", "SAY NOISE", "SAY TWICE", "SAY EXPLICIT",
                "SAY untouched");
    }

    @Test
    void aReplyHookReturningAStringAnswersInsteadOfTheBackend() throws Exception {
        try (LineClient client = LineClient.connect(LineClient.portOf(manager, "answering"))) {
            assertThat(client.call("SAY QUESTION")).isEqualTo("ANSWERED BY THE PROXY");
            assertThat(client.call("SAY other")).isEqualTo("other");
        }
        assertThat(backend.lines()).containsExactly("SAY QUESTION", "SAY other");
    }

    /**
     * A client that pipelines reads replies in the order of its commands (RESP and memcached clients match replies to
     * commands by position). A command a hook answers behind a command still waiting for the backend's reply must be
     * answered after that reply.
     */
    @Test
    void aHookAnswerToAPipelinedCommandComesAfterTheBackendRepliesToTheCommandsBeforeIt() throws Exception {
        hooked.lateAnswered = new CountDownLatch(1);
        releaseSlow = new CountDownLatch(1);
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendRaw("SLOW\r\nLATE x\r\n");
            // the hook has answered LATE while the backend still holds its reply to SLOW
            assertThat(hooked.lateAnswered.await(10, TimeUnit.SECONDS)).isTrue();
            releaseSlow.countDown();

            assertThat(List.of(client.readLine(), client.readLine())).containsExactly("OK SLOW", "LATE x");
        }
        assertThat(backend.lines()).containsExactly("SLOW");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aHookThatAnswersAndClosesClosesBeforeTheBackendSeesTheCommand() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("SAY hi")).isEqualTo("hi");
            client.send("QUIT");
            assertThat(client.readLine()).isEqualTo("BYE");
            assertThat(client.readUntilClosed()).isEmpty();
        }
        assertThat(hooked.closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLOSED_BY_HOOK);
        // the proxy closed its backend connection too, and the backend never saw QUIT
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.endsOfStream() == 1);
        assertThat(backend.lines()).containsExactly("SAY hi");
    }
}
