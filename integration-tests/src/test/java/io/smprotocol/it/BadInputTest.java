package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerState;
import io.smprotocol.demo.Mailbox;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * What clients that do not follow the protocol get, and that the server stays healthy through it: over-long lines,
 * binary garbage, bare CR and LF in strict mode, clients that vanish mid-line, and many clients at once.
 */
@QuarkusTest
class BadInputTest {

    static final int MIB = 1024 * 1024;

    @Inject
    ProtocolManager manager;

    @Inject
    Mailbox mailbox;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.replies.line-too-long")
    String pingLineTooLong;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.replies.unknown-command")
    String pingUnknownCommand;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.replies.line-too-long")
    String smtpLineTooLong;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.replies.protocol-error")
    String smtpProtocolError;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.max-line-length")
    int smtpMaxLineLength;

    ProtocolServer pingServer;
    ProtocolServer smtpServer;
    int ping;
    int smtp;

    @BeforeEach
    void ports() {
        pingServer = Protocols.server(manager, "ping");
        smtpServer = Protocols.server(manager, "smtp");
        ping = Protocols.port(manager, "ping");
        smtp = Protocols.port(manager, "smtp");
    }

    // ---- over-long lines

    @Test
    void aOneMebibyteLineIsAnsweredOnceAndTheConnectionStaysUsable() throws Exception {
        assertThat(pingLineTooLong).isEqualTo("-ERR line too long");
        byte[] hugeLine = new byte[MIB];
        Arrays.fill(hugeLine, (byte) 'x');
        try (LogCapture log = LogCapture.warningsAndErrors("io.smprotocol");
                LineClient client = LineClient.connect(ping)) {
            client.send(hugeLine);
            assertThat(client.readLine()).isEqualTo(pingLineTooLong);
            // the rest of the line is discarded up to its end; the next reply must answer the PING, so the
            // over-long line was answered exactly once
            client.send("\r\nPING\r\n");
            assertThat(client.readLine()).isEqualTo("+PONG");
            assertThat(client.command("PING")).isEqualTo("+PONG");
            assertThat(log.problems()).isEmpty();
        }
        assertHealthy();
    }

    @Test
    void aOneMebibyteLineOnTheStrictProtocolIsAnsweredOnceToo() throws Exception {
        byte[] hugeLine = new byte[MIB];
        Arrays.fill(hugeLine, (byte) 'y');
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            client.send(hugeLine);
            assertThat(client.readLine()).isEqualTo(smtpLineTooLong);
            client.send("\r\nNOOP\r\n");
            assertThat(client.readLine()).isEqualTo("250 OK");
        }
        assertHealthy();
    }

    @Test
    void aLineOfExactlyTheMaximumLengthIsAcceptedAndOneByteMoreIsNot() throws Exception {
        assertThat(smtpMaxLineLength).isEqualTo(1000);
        String longest = "HELO " + "a".repeat(smtpMaxLineLength - "HELO ".length());
        assertThat(longest).hasSize(smtpMaxLineLength);
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            assertThat(client.command(longest)).isEqualTo("250 smprotocol.demo greets " + longest.substring(5));
            assertThat(client.command(longest + "a")).isEqualTo(smtpLineTooLong);
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
        }
    }

    // ---- binary garbage

    @Test
    void binaryGarbageDoesNotHurtTheServerNorTheConnection() throws Exception {
        byte[] garbage = garbage(64 * 1024);
        try (LogCapture log = LogCapture.warningsAndErrors("io.smprotocol");
                LineClient rude = LineClient.connect(ping);
                LineClient polite = LineClient.connect(ping)) {
            rude.send(garbage);
            // another connection is served meanwhile
            assertThat(polite.command("PING")).isEqualTo("+PONG");
            // the same connection too, once a CR LF ends whatever the garbage left unfinished
            rude.send("\r\nPING\r\n");
            List<String> replies = readUntil(rude, "+PONG", 20_000);
            assertThat(replies).as("replies to the garbage lines").isNotEmpty()
                    .allSatisfy(reply -> assertThat(reply).isIn(pingUnknownCommand, pingLineTooLong));
            assertThat(rude.command("PING")).isEqualTo("+PONG");
            assertThat(polite.command("PING")).isEqualTo("+PONG");
            assertThat(log.problems()).isEmpty();
        }
        try (LineClient rude = LineClient.connect(smtp)) {
            assertThat(rude.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            rude.send(garbage);
            rude.send("\r\nNOOP\r\n");
            List<String> replies = readUntil(rude, "250 OK", 20_000);
            assertThat(replies).as("replies to the garbage lines").isNotEmpty()
                    .allSatisfy(reply -> assertThat(reply).isIn("500 Unknown command", smtpProtocolError,
                            smtpLineTooLong));
            assertThat(rude.command("NOOP")).isEqualTo("250 OK");
        }
        assertHealthy();
    }

    /** Random bytes from a fixed seed, with NUL, CR, LF and CR LF certainly among them. */
    private static byte[] garbage(int size) {
        byte[] bytes = new byte[size];
        new Random(20_260_101L).nextBytes(bytes);
        bytes[10] = 0;
        bytes[20] = '\r';
        bytes[30] = '\n';
        bytes[40] = '\r';
        bytes[41] = '\n';
        bytes[size / 2] = 0;
        assertThat(count(bytes, (byte) 0)).isGreaterThan(10);
        assertThat(count(bytes, (byte) '\r')).isGreaterThan(10);
        assertThat(count(bytes, (byte) '\n')).isGreaterThan(10);
        return bytes;
    }

    private static int count(byte[] bytes, byte value) {
        int n = 0;
        for (byte b : bytes) {
            if (b == value) {
                n++;
            }
        }
        return n;
    }

    private static List<String> readUntil(LineClient client, String last, int atMost) throws IOException {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < atMost; i++) {
            String line = client.readLine();
            if (line.equals(last)) {
                return before;
            }
            before.add(line);
        }
        throw new AssertionError("no " + last + " among " + atMost + " replies; first ones: "
                + before.subList(0, Math.min(20, before.size())));
    }

    // ---- bare CR and LF in strict mode

    @Test
    void bareCrAndBareLfAreProtocolErrorsInStrictModeNotCommands() throws Exception {
        assertThat(smtpProtocolError).isEqualTo("500 Bare CR or LF not allowed");
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            assertThat(client.send("NOOP\n").readLine()).as("bare LF").isEqualTo(smtpProtocolError);
            assertThat(client.send("NO\rOP\r\n").readLine()).as("bare CR inside the line").isEqualTo(smtpProtocolError);
            assertThat(client.send("NOOP\r\r\n").readLine()).as("CR CR LF").isEqualTo(smtpProtocolError);
            assertThat(client.send("\n").readLine()).as("a lone LF").isEqualTo(smtpProtocolError);
            // not a command: QUIT with a bare LF does not close, MAIL with a bare LF starts no transaction
            assertThat(client.send("QUIT\n").readLine()).isEqualTo(smtpProtocolError);
            assertThat(client.send("MAIL FROM:<a@example.org>\n").readLine()).isEqualTo(smtpProtocolError);
            assertThat(client.command("RCPT TO:<b@example.org>")).isEqualTo("503 MAIL first");
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
        }
    }

    // ---- clients that vanish

    @Test
    void aClientThatDisconnectsMidLineIsReleased() throws Exception {
        int before = Protocols.awaitNoConnections(pingServer);
        try (LogCapture log = LogCapture.warningsAndErrors("io.smprotocol")) {
            try (LineClient client = LineClient.connect(ping)) {
                assertThat(client.command("PING")).isEqualTo("+PONG");
                Protocols.awaitOpenConnections(pingServer, before + 1);
                client.send("PI");
            }
            Protocols.awaitOpenConnections(pingServer, before);

            // the same with a reset instead of an orderly close
            LineClient crashing = LineClient.connect(ping);
            try {
                assertThat(crashing.command("PING")).isEqualTo("+PONG");
                Protocols.awaitOpenConnections(pingServer, before + 1);
                crashing.send("PING with no end");
            } finally {
                crashing.abort();
            }
            Protocols.awaitOpenConnections(pingServer, before);

            // and on the strict protocol, in the middle of a DATA body
            int smtpBefore = Protocols.awaitNoConnections(smtpServer);
            long delivered = mailbox.size();
            try (LineClient client = LineClient.connect(smtp)) {
                assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
                assertThat(client.command("MAIL FROM:<a@example.org>")).isEqualTo("250 OK");
                assertThat(client.command("RCPT TO:<b@example.org>")).isEqualTo("250 OK");
                assertThat(client.command("DATA")).startsWith("354 ");
                client.send("half a message\r\nand half a li");
            }
            Protocols.awaitOpenConnections(smtpServer, smtpBefore);
            assertThat(mailbox.size()).as("mails delivered").isEqualTo(delivered);

            assertThat(log.problems()).isEmpty();
        }
        assertHealthy();
    }

    // ---- many clients

    @Test
    void aThousandConcurrentConnectionsEachGetTheirPong() throws Exception {
        int clients = 1000;
        int before = Protocols.awaitNoConnections(pingServer);
        List<LineClient> connected = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < clients; i++) {
                    connected.add(LineClient.connect(ping, Duration.ofSeconds(30)));
                }
                // all of them are open at the same time
                Protocols.awaitOpenConnections(pingServer, before + clients);

                CountDownLatch start = new CountDownLatch(1);
                List<Callable<String>> pings = new ArrayList<>();
                for (LineClient client : connected) {
                    pings.add(() -> {
                        start.await();
                        return client.command("PING");
                    });
                }
                List<Future<String>> replies = new ArrayList<>();
                for (Callable<String> task : pings) {
                    replies.add(pool.submit(task));
                }
                start.countDown();
                for (Future<String> reply : replies) {
                    assertThat(reply.get(60, TimeUnit.SECONDS)).isEqualTo("+PONG");
                }
            });
        } finally {
            pool.shutdownNow();
            for (LineClient client : connected) {
                client.close();
            }
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("client threads ended").isTrue();
        }
        assertThat(connected).hasSize(clients).allSatisfy(client -> assertThat(client.isClosed()).isTrue());
        Protocols.awaitOpenConnections(pingServer, before);
        assertHealthy();
    }

    // ----

    private void assertHealthy() throws IOException {
        for (ProtocolServer server : Set.of(pingServer, smtpServer)) {
            assertThat(server.state()).as("%s state", server.name()).isEqualTo(ListenerState.RUNNING);
        }
        try (LineClient client = LineClient.connect(ping)) {
            assertThat(client.command("PING")).isEqualTo("+PONG");
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
        }
    }
}
