package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.demo.Mailbox;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * The server closing connections by itself, in one profile (one Quarkus restart): {@code idle-timeout=1S} on
 * {@code ping} closes a client that sends nothing for that long, and only such a client; {@code
 * line-too-long-action=close} on {@code smtp} closes a client after answering its over-long line, and nothing it sent
 * after that line is acted on. Either way the client reads the last reply, then the end of the stream, never a reset.
 * Waits with socket read timeouts, never sleeps.
 */
@QuarkusTest
@TestProfile(ServerInitiatedCloseTest.Closing.class)
class ServerInitiatedCloseTest {

    public static class Closing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.smprotocol.protocols.ping.idle-timeout", "1S",
                    "quarkus.smprotocol.protocols.smtp.line-too-long-action", "close");
        }
    }

    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

    @Inject
    ProtocolManager manager;

    @Inject
    Mailbox mailbox;

    @Test
    void anIdleClientIsClosedByTheServer() throws Exception {
        ProtocolServer server = Protocols.server(manager, "ping");
        int port = Protocols.port(manager, "ping");
        try (LineClient client = LineClient.connect(port)) {
            long start = System.nanoTime();
            assertThat(client.closedByServerWithin(Duration.ofSeconds(15))).as("closed by the server").isTrue();
            Duration idle = Duration.ofNanos(System.nanoTime() - start);
            // the client measures from after its connect, the server from its accept: a little slack
            assertThat(idle).isGreaterThan(IDLE_TIMEOUT.minusMillis(100));
        }
        Protocols.awaitNoConnections(server);
    }

    @Test
    void aClientThatKeepsTalkingIsNotClosedThenIsOnceItStops() throws Exception {
        ProtocolServer server = Protocols.server(manager, "ping");
        int port = Protocols.port(manager, "ping");
        try (LineClient client = LineClient.connect(port)) {
            long start = System.nanoTime();
            // 5 pauses of 600 ms, each shorter than the timeout, 3 s in all
            for (int i = 0; i < 5; i++) {
                assertThat(client.command("PING")).isEqualTo("+PONG");
                assertThat(client.closedByServerWithin(Duration.ofMillis(600))).as("closed during pause %d", i + 1)
                        .isFalse();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(IDLE_TIMEOUT.multipliedBy(2));
            assertThat(client.command("PING")).isEqualTo("+PONG");
            long lastLine = System.nanoTime();
            assertThat(client.closedByServerWithin(Duration.ofSeconds(15))).as("closed once silent").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - lastLine)).isGreaterThan(IDLE_TIMEOUT.minusMillis(100));
        }
        Protocols.awaitNoConnections(server);
    }

    @Test
    void aClientInTheMiddleOfALineIsStillIdle() throws Exception {
        // bytes arriving keep a connection alive; a client that stops mid-line does not stay forever
        ProtocolServer server = Protocols.server(manager, "ping");
        int port = Protocols.port(manager, "ping");
        try (LineClient client = LineClient.connect(port)) {
            client.send("PI");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(15))).as("closed by the server").isTrue();
        }
        Protocols.awaitNoConnections(server);
    }

    @Test
    void aClientStillSendingWhenTheServerClosesReadsTheLastReplyNotAReset() throws Exception {
        // 240 KB pipelined behind QUIT arrive after the server decided to close: closing the socket then would make
        // the kernel answer them with a reset, which a client can get before it reads "+OK"
        ProtocolServer server = Protocols.server(manager, "ping");
        try (LineClient client = LineClient.connect(Protocols.port(manager, "ping"))) {
            client.send("QUIT\r\n" + "PING\r\n".repeat(40_000));
            assertThat(client.readLine()).isEqualTo("+OK");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        }
        Protocols.awaitNoConnections(server);
    }

    // ---- line-too-long-action=close

    @Test
    void anOverLongLineIsAnsweredThenTheConnectionClosed() throws Exception {
        ProtocolServer server = Protocols.server(manager, "smtp");
        try (LineClient client = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
            client.send("x".repeat(5000));
            assertThat(client.readLine()).isEqualTo("500 Line too long");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        }
        Protocols.awaitNoConnections(server);
        // the protocol goes on for everybody else
        try (LineClient client = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
        }
    }

    @Test
    void linesSentAfterTheOverLongLineAreNotActedOn() throws Exception {
        // "nothing the client sends after this is read": not even what came in the same TCP segment
        String token = "after-long-line-" + UUID.randomUUID();
        ProtocolServer server = Protocols.server(manager, "smtp");
        long delivered = mailbox.size();
        try (LineClient client = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            client.send("HELO it.example\r\n" + "x".repeat(1500) + "\r\nMAIL FROM:<late@example.org>\r\n"
                    + "RCPT TO:<late@example.org>\r\nDATA\r\nSubject: " + token + "\r\n\r\nsent after the long line\r\n"
                    + ".\r\n");
            assertThat(client.readLines(2)).containsExactly("250 smprotocol.demo greets it.example",
                    "500 Line too long");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        }
        // the connection is released by its last step: every line it took in has been dealt with by then
        Protocols.awaitNoConnections(server);
        assertThat(mailbox.all()).as("mails").noneMatch(mail -> mail.body().contains(token));
        assertThat(mailbox.size()).as("mails delivered").isEqualTo(delivered);
    }
}
