package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.demo.Mail;
import io.smprotocol.demo.Mailbox;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * The demo's {@code smtp} protocol answers as RFC 5321 and RFC 1870 expect: one reply per message, after its final
 * dot, refusing the whole message when a line of it was lost; HELP, VRFY and EXPN; the SIZE extension. After each
 * message's reply a NOOP is answered next: no second reply to the message was on its way.
 */
@QuarkusTest
class SmtpDemoTest {

    @Inject
    ProtocolManager manager;

    @Inject
    Mailbox mailbox;

    @ConfigProperty(name = "smprotocol.demo.smtp.max-message-size")
    long maxMessageSize;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.max-line-length")
    int maxLineLength;

    int smtp;

    @BeforeEach
    void port() {
        smtp = Protocols.port(manager, "smtp");
    }

    /** @return a client in the DATA phase of a transaction */
    private LineClient inData(LineClient client) throws Exception {
        assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
        assertThat(client.command("HELO it.example")).startsWith("250 ");
        assertThat(client.command("MAIL FROM:<a@example.org>")).isEqualTo("250 OK");
        assertThat(client.command("RCPT TO:<b@example.org>")).isEqualTo("250 OK");
        assertThat(client.command("DATA")).startsWith("354 ");
        return client;
    }

    private void assertNoOtherReply(LineClient client) throws Exception {
        assertThat(client.command("NOOP")).as("the reply after the message's").isEqualTo("250 OK");
    }

    private boolean delivered(String token) {
        return mailbox.all().stream().anyMatch(mail -> mail.body().contains(token));
    }

    @Test
    void aTooLongLineRefusesTheWholeMessageWithOneReplyAfterTheDot() throws Exception {
        String token = "long-" + UUID.randomUUID();
        try (LineClient client = LineClient.connect(smtp)) {
            inData(client).send("Subject: " + token + "\r\n\r\nbefore\r\n" + "x".repeat(maxLineLength + 1)
                    + "\r\nafter\r\n.\r\n");
            assertThat(client.readLine()).isEqualTo("500 Line too long");
            assertNoOtherReply(client);
        }
        assertThat(delivered(token)).isFalse();
    }

    @Test
    void aBareLfInTheMessageRefusesTheWholeMessageWithOneReplyAfterTheDot() throws Exception {
        String token = "bare-lf-" + UUID.randomUUID();
        try (LineClient client = LineClient.connect(smtp)) {
            inData(client).send("Subject: " + token + "\r\n\r\nkept\r\nbare\nkept too\r\n.\r\n");
            assertThat(client.readLine()).isEqualTo("554 Message rejected: bare CR or LF in the message");
            assertNoOtherReply(client);
            // the session goes on: the next message is delivered
            assertThat(client.command("MAIL FROM:<a@example.org>")).isEqualTo("250 OK");
            assertThat(client.command("RCPT TO:<b@example.org>")).isEqualTo("250 OK");
            assertThat(client.command("DATA")).startsWith("354 ");
            assertThat(client.send("Subject: " + token + "-2\r\n\r\nfine\r\n.\r\n").readLine())
                    .startsWith("250 OK: queued as ");
        }
        assertThat(delivered(token + "\r\n")).isFalse();
        assertThat(delivered(token + "-2\r\n")).isTrue();
    }

    @Test
    void helpVrfyAndExpnAreAnswered() throws Exception {
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            List<String> help = new ArrayList<>();
            client.sendLine("HELP");
            do {
                help.add(client.readLine());
            } while (help.get(help.size() - 1).startsWith("214-"));
            assertThat(help).allMatch(line -> line.startsWith("214"));
            assertThat(client.command("VRFY someone")).startsWith("252 ");
            assertThat(client.command("EXPN staff")).startsWith("502 ");
        }
    }

    @Test
    void ehloAdvertisesTheSizeLimitAndMailDeclaringMoreIsRefused() throws Exception {
        try (LineClient client = LineClient.connect(smtp)) {
            assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            client.sendLine("EHLO it.example");
            List<String> ehlo = new ArrayList<>();
            do {
                ehlo.add(client.readLine());
            } while (ehlo.get(ehlo.size() - 1).startsWith("250-"));
            assertThat(ehlo).contains("250-SIZE " + maxMessageSize);
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=" + (maxMessageSize + 1)))
                    .startsWith("552 ");
            assertThat(client.command("RCPT TO:<b@example.org>")).as("no transaction started").isEqualTo("503 MAIL first");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=" + maxMessageSize)).isEqualTo("250 OK");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=12x")).startsWith("501 ");
        }
    }

    @Test
    void aMessageOverTheLimitIsRefusedAfterTheDot() throws Exception {
        String token = "large-" + UUID.randomUUID();
        try (LineClient client = LineClient.connect(smtp)) {
            inData(client).send(message(token, maxMessageSize + 1));
            assertThat(client.readLine()).isEqualTo("552 Message size exceeds fixed maximum message size");
            assertNoOtherReply(client);
        }
        assertThat(delivered(token)).isFalse();
    }

    @Test
    void aFiftyMegabyteMessageIsAccepted() throws Exception {
        String token = "fifty-" + UUID.randomUUID();
        long size = 50_000_000;
        try (LineClient client = LineClient.connect(smtp)) {
            inData(client).send(message(token, size));
            assertThat(client.readLine()).startsWith("250 OK: queued as ");
            assertNoOtherReply(client);
        }
        Mail mail = mailbox.all().stream().filter(m -> m.body().startsWith("Subject: " + token + "\r\n")).findFirst()
                .orElseThrow(() -> new AssertionError("no mail with " + token));
        assertThat(mail.size()).isEqualTo(size);
        assertThat(mail.body()).as("the kept beginning").hasSize(Mailbox.KEPT_BODY);
    }

    /** @return a message of exactly {@code size} bytes (lines of 80 bytes after its subject), then the final dot */
    private static byte[] message(String token, long size) {
        byte[] head = ("Subject: " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long remaining = size - head.length;
        long full = remaining / 80;
        int last = (int) (remaining % 80);
        if (last == 1) {
            // a line of one byte cannot end with CR LF: the last line is longer instead
            full--;
            last += 80;
        }
        byte[] message = new byte[Math.toIntExact(size + 3)];
        System.arraycopy(head, 0, message, 0, head.length);
        int position = head.length;
        for (long i = 0; i <= full; i++) {
            int length = i < full ? 80 : last;
            for (int j = 0; j < length - 2; j++) {
                message[position + j] = (byte) ('a' + j % 26);
            }
            if (length > 0) {
                message[position + length - 2] = '\r';
                message[position + length - 1] = '\n';
            }
            position += length;
        }
        message[position] = '.';
        message[position + 1] = '\r';
        message[position + 2] = '\n';
        return message;
    }
}
