package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.demo.Mail;
import io.smprotocol.demo.Mailbox;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * Line framing and command dispatch of the demo's {@code ping} (lenient line endings) and {@code smtp}
 * ({@code strict-crlf}) protocols, over raw sockets.
 */
@QuarkusTest
class FramingAndCommandsTest {

    static final String GREETING = "220 smprotocol.demo ESMTP ready";

    @Inject
    ProtocolManager manager;

    @Inject
    Mailbox mailbox;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.replies.unknown-command")
    String pingUnknownCommand;

    int ping;
    int smtp;

    @BeforeEach
    void ports() {
        ping = Protocols.port(manager, "ping");
        smtp = Protocols.port(manager, "smtp");
    }

    @Test
    void pingVerbsAreCaseInsensitive() throws Exception {
        try (LineClient client = LineClient.connect(ping)) {
            for (String line : List.of("PING", "ping", "Ping", "pInG", "  ping", "\tPiNg extra arguments")) {
                assertThat(client.command(line)).as("reply to %s", line).isEqualTo("+PONG");
            }
        }
    }

    @Test
    void smtpVerbsAreCaseInsensitive() throws Exception {
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            assertThat(client.command("noop")).isEqualTo("250 OK");
            assertThat(client.command("NoOp")).isEqualTo("250 OK");
            assertThat(client.command("helo client.example")).isEqualTo("250 smprotocol.demo greets client.example");
            client.sendLine("eHlO client.example");
            assertThat(client.readLines(4)).containsExactly("250-smprotocol.demo greets client.example",
                    "250-8BITMIME", "250-SIZE 52428800", "250 HELP");
            assertThat(client.command("mail from:<a@example.org>")).isEqualTo("250 OK");
            assertThat(client.command("Rcpt To:<b@example.org>")).isEqualTo("250 OK");
            assertThat(client.command("rset")).isEqualTo("250 OK");
            // RSET dropped the transaction: RCPT needs a new MAIL
            assertThat(client.command("rcpt to:<b@example.org>")).isEqualTo("503 MAIL first");
        }
    }

    @Test
    void linesSentBeforeTheGreetingAreAnsweredAfterIt() throws Exception {
        try (LineClient client = LineClient.connect(smtp)) {
            // no wait for the greeting, which a worker thread produces
            client.send("NOOP\r\nHELO early\r\n");
            assertThat(client.readLines(3)).containsExactly(GREETING, "250 OK", "250 smprotocol.demo greets early");
        }
    }

    @Test
    void linesPipelinedInOneWriteAreAnsweredInOrder() throws Exception {
        try (LineClient client = LineClient.connect(ping)) {
            client.send("PING\r\nHELLO\r\nping\nFLUSHALL\r\nPING\r\n");
            assertThat(client.readLines(5)).containsExactly("+PONG", pingUnknownCommand, "+PONG",
                    pingUnknownCommand, "+PONG");
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            client.send("HELO one\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nXYZZY x\r\nNOOP\r\n"
                    + "HELO two\r\n");
            assertThat(client.readLines(6)).containsExactly("250 smprotocol.demo greets one", "250 OK", "250 OK",
                    "500 Unknown command", "250 OK", "250 smprotocol.demo greets two");
        }
    }

    @Test
    void manyPipelinedLinesKeepTheirOrderUnderBackPressure() throws Exception {
        // far more lines than the connection queues before it pauses reading; smtp hooks run on worker threads
        int count = 500;
        StringBuilder smtpLines = new StringBuilder();
        List<String> smtpExpected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            smtpLines.append("HELO host-").append(i).append("\r\n");
            smtpExpected.add("250 smprotocol.demo greets host-" + i);
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            client.send(smtpLines.toString());
            assertThat(client.readLines(count)).containsExactlyElementsOf(smtpExpected);
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
        }

        StringBuilder pingLines = new StringBuilder();
        List<String> pingExpected = new ArrayList<>();
        for (int i = 0; i < 5 * count; i++) {
            boolean known = i % 7 != 3;
            pingLines.append(known ? "PING" : "NOPE" + i).append("\r\n");
            pingExpected.add(known ? "+PONG" : pingUnknownCommand);
        }
        try (LineClient client = LineClient.connect(ping)) {
            client.send(pingLines.toString());
            assertThat(client.readLines(pingExpected.size())).containsExactlyElementsOf(pingExpected);
        }
    }

    @Test
    void aLineSplitAcrossManySmallWritesIsOneLine() throws Exception {
        try (LineClient client = LineClient.connect(ping)) {
            client.sendInPieces("PING\r\n".getBytes(StandardCharsets.US_ASCII), 1);
            assertThat(client.readLine()).isEqualTo("+PONG");
            client.sendInPieces("PING\r\nPING\r\nPI".getBytes(StandardCharsets.US_ASCII), 3);
            assertThat(client.readLines(2)).containsExactly("+PONG", "+PONG");
            client.send("NG\r\n");
            assertThat(client.readLine()).isEqualTo("+PONG");
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            // byte by byte: the UTF-8 sequences of é and ö are split between writes, and so are CR and LF
            client.sendInPieces("HELO héllo.wörld.example\r\n".getBytes(StandardCharsets.UTF_8), 1);
            assertThat(client.readLine()).isEqualTo("250 smprotocol.demo greets héllo.wörld.example");
            // strict mode: a CR at the end of one write and the LF at the start of the next are still CR LF
            client.send("NOOP\r");
            client.send("\nNOOP\r");
            client.send("\n");
            assertThat(client.readLines(2)).containsExactly("250 OK", "250 OK");
        }
    }

    @Test
    void unknownCommandsGetTheConfiguredReply() throws Exception {
        assertThat(pingUnknownCommand).isEqualTo("-ERR unknown command");
        try (LineClient client = LineClient.connect(ping)) {
            assertThat(client.command("FLUSHALL")).isEqualTo(pingUnknownCommand);
            assertThat(client.command("PINGPONG")).isEqualTo(pingUnknownCommand);
            assertThat(client.command("GET key")).isEqualTo(pingUnknownCommand);
            // the connection stays usable
            assertThat(client.command("PING")).isEqualTo("+PONG");
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            // the demo's @OnLine hook answers lines no @OnCommand takes
            assertThat(client.command("XYZZY postmaster")).isEqualTo("500 Unknown command");
            assertThat(client.command("NOOP")).isEqualTo("250 OK");
        }
    }

    @Test
    void quitClosesTheConnectionAfterItsReply() throws Exception {
        try (LineClient client = LineClient.connect(ping)) {
            assertThat(client.command("quit")).isEqualTo("+OK");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            assertThat(client.command("QUIT")).isEqualTo("221 Bye");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        }
        Protocols.awaitNoConnections(Protocols.server(manager, "ping"));
        Protocols.awaitNoConnections(Protocols.server(manager, "smtp"));
    }

    @Test
    void linesPipelinedAfterQuitAreNotAnswered() throws Exception {
        try (LineClient client = LineClient.connect(ping)) {
            client.send("PING\r\nQUIT\r\nPING\r\nPING\r\n");
            assertThat(client.readLines(2)).containsExactly("+PONG", "+OK");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed right after +OK").isTrue();
        }
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            client.send("NOOP\r\nQUIT\r\nNOOP\r\nHELO late\r\n");
            assertThat(client.readLines(2)).containsExactly("250 OK", "221 Bye");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed right after 221").isTrue();
        }
    }

    @Test
    void commandsPipelinedAfterQuitAreNotExecuted() throws Exception {
        // the client never sees a reply to them, so a mail delivered here is one its sender believes lost
        String token = "after-quit-" + UUID.randomUUID();
        ProtocolServer server = Protocols.server(manager, "smtp");
        long delivered = mailbox.size();
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            client.send("HELO it.example\r\nQUIT\r\nMAIL FROM:<late@example.org>\r\nRCPT TO:<late@example.org>\r\n"
                    + "DATA\r\nSubject: " + token + "\r\n\r\nsent after QUIT\r\n.\r\n");
            assertThat(client.readLines(2)).containsExactly("250 smprotocol.demo greets it.example", "221 Bye");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("closed right after 221").isTrue();
        }
        // the connection is released by its last step: every line it received has been dealt with by then
        Protocols.awaitNoConnections(server);
        assertThat(mailbox.all()).as("mails").noneMatch(mail -> mail.body().contains(token));
        assertThat(mailbox.size()).as("mails delivered").isEqualTo(delivered);
    }

    @Test
    void aWholeSmtpTransactionPipelinedInOneWrite() throws Exception {
        String token = "pipelined-" + UUID.randomUUID();
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            // the body holds a QUIT and a stuffed dot: while DATA reads raw lines they are text, not commands
            client.send("EHLO it.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
                    + "RCPT TO:<c@example.org>\r\nDATA\r\nSubject: " + token + "\r\n\r\n..dot\r\nQUIT\r\nplain\r\n"
                    + ".\r\nNOOP\r\nQUIT\r\n");
            List<String> replies = client.readLines(11);
            assertThat(replies.subList(0, 8)).containsExactly("250-smprotocol.demo greets it.example",
                    "250-8BITMIME", "250-SIZE 52428800", "250 HELP", "250 OK", "250 OK", "250 OK",
                    "354 End data with <CR><LF>.<CR><LF>");
            assertThat(replies.get(8)).startsWith("250 OK: queued as ");
            assertThat(replies.subList(9, 11)).containsExactly("250 OK", "221 Bye");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
        }
        Mail mail = mailbox.all().stream().filter(m -> m.body().contains(token)).findFirst()
                .orElseThrow(() -> new AssertionError("no mail with " + token));
        assertThat(mail.from()).isEqualTo("a@example.org");
        assertThat(mail.recipients()).containsExactly("b@example.org", "c@example.org");
        assertThat(mail.body()).isEqualTo("Subject: " + token + "\r\n\r\n.dot\r\nQUIT\r\nplain\r\n");
    }

    @Test
    void bytesThatDoNotDecodeBecomeReplacementCharacters() throws Exception {
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            client.send(new byte[] { 'H', 'E', 'L', 'O', ' ', 'a', (byte) 0xFF, 'b', (byte) 0xC3, '\r', '\n' });
            assertThat(client.readLine()).isEqualTo("250 smprotocol.demo greets a\uFFFDb\uFFFD");
        }
    }

    @Test
    void aClientThatReadsLateStillGetsEveryReplyInOrder() throws Exception {
        ProtocolServer server = Protocols.server(manager, "ping");
        int chunks = 30;
        int linesPerChunk = 10_000;
        byte[] chunk = "PING\r\n".repeat(linesPerChunk).getBytes(StandardCharsets.US_ASCII);
        long receivedBefore = server.linesReceived();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        // a small receive buffer: the replies the client does not read back up to the server at once
        try (LineClient client = LineClient.connect(ping, Duration.ofSeconds(30), 8 * 1024)) {
            Future<?> written = writer.submit(() -> {
                for (int i = 0; i < chunks; i++) {
                    client.send(chunk);
                }
                return null;
            });
            // read nothing until the server has answered thousands of lines
            await().atMost(Duration.ofSeconds(30)).until(() -> server.linesReceived() >= receivedBefore + 5_000);
            for (int i = 0; i < chunks * linesPerChunk; i++) {
                String reply = client.readLine();
                if (!reply.equals("+PONG")) {
                    fail("reply %d is %s", i, reply);
                }
            }
            written.get(30, TimeUnit.SECONDS);
            assertThat(client.command("QUIT")).isEqualTo("+OK");
        } finally {
            writer.shutdownNow();
            assertThat(writer.awaitTermination(30, TimeUnit.SECONDS)).as("writer ended").isTrue();
        }
        assertThat(server.linesReceived()).isGreaterThanOrEqualTo(receivedBefore + chunks * linesPerChunk + 1);
    }
}
