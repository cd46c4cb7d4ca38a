package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.demo.Mail;
import io.smprotocol.demo.Mailbox;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * A real SMTP client, swaks, sends mail through the demo's {@code smtp} protocol. Skipped, naming the Debian package,
 * where swaks is not installed.
 */
@QuarkusTest
class SwaksTest {

    static final Duration SWAKS_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    ProtocolManager manager;

    @Inject
    Mailbox mailbox;

    int smtp;

    @BeforeEach
    void swaksAndPort() {
        Assumptions.assumeTrue(ExternalProgram.onPath("swaks"), "swaks not installed: apt-get install swaks");
        smtp = Protocols.port(manager, "smtp");
    }

    @Test
    void swaksDeliversAMailWithItsEnvelopeAndADotUnstuffedBody() throws Exception {
        String subject = "it-" + UUID.randomUUID();
        // swaks dot-stuffs lines that begin with '.', the server must unstuff them
        String body = "first line\n.leading dot\n..two dots\n. dot and space\nlast line";
        long before = mailbox.size();

        ExternalProgram.Result result = swaks("--from", "a@example.org", "--to", "b@example.org",
                "--header", "Subject: " + subject, "--body", body);

        assertThat(result.exitCode()).as("swaks exit code; its transcript:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("-> ..leading dot").contains("-> ...two dots");
        assertThat(mailbox.size()).isEqualTo(before + 1);
        Mail mail = mailWithSubject(subject);
        assertThat(mail.from()).isEqualTo("a@example.org");
        assertThat(mail.recipients()).containsExactly("b@example.org");
        assertThat(mail.body()).contains("\r\nSubject: " + subject + "\r\n").contains("\r\nFrom: a@example.org\r\n")
                .contains("\r\nTo: b@example.org\r\n");
        String content = mail.body().substring(mail.body().indexOf("\r\n\r\n") + 4);
        String expected = "first line\r\n.leading dot\r\n..two dots\r\n. dot and space\r\nlast line\r\n";
        assertThat(content).startsWith(expected);
        assertThat(content.substring(expected.length())).as("after the body").matches("(\r\n)*");
    }

    @Test
    void swaksDeliversToSeveralRecipients() throws Exception {
        String subject = "it-" + UUID.randomUUID();

        ExternalProgram.Result result = swaks("--from", "sender@example.org", "--to",
                "one@example.org,two@example.net", "--header", "Subject: " + subject, "--body", "hello\nworld");

        assertThat(result.exitCode()).as("swaks exit code; its transcript:%n%s", result.output()).isZero();
        Mail mail = mailWithSubject(subject);
        assertThat(mail.from()).isEqualTo("sender@example.org");
        assertThat(mail.recipients()).containsExactly("one@example.org", "two@example.net");
        assertThat(mail.body()).contains("\r\n\r\nhello\r\nworld\r\n");
    }

    private ExternalProgram.Result swaks(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + smtp,
                "--helo", "it.example", "--timeout", "30"));
        command.addAll(List.of(arguments));
        return ExternalProgram.run(SWAKS_TIMEOUT, command);
    }

    private Mail mailWithSubject(String subject) {
        List<Mail> matching = mailbox.all().stream()
                .filter(mail -> mail.body().contains("\r\nSubject: " + subject + "\r\n")
                        || mail.body().startsWith("Subject: " + subject + "\r\n"))
                .toList();
        assertThat(matching).as("mails with subject %s", subject).hasSize(1);
        return matching.get(0);
    }
}
