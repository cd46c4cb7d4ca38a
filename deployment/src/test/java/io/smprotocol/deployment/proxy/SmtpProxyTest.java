package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.Command;
import io.smprotocol.CommandCount;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.OnLine;
import io.smprotocol.Protocol;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.codec.SmtpCodec;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * An SMTP proxy with {@link SmtpCodec} in front of a small SMTP server of the same application. The message a client
 * sends crosses byte for byte; the proxy's hooks see each command and the message's final dot, never a line of the
 * message, though the message holds lines that read as commands; a multi-line EHLO reply and the message's verdict
 * each pair with their one command in the statistics.
 */
class SmtpProxyTest {

    static final int BACKEND_PORT = ServerProgram.freePort();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("smtp-proxy"), SmtpProxy.class, Backend.class,
            ServerProgram.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.smtp-backend.port", String.valueOf(BACKEND_PORT))
            .overrideConfigKey("quarkus.smprotocol.protocols.smtp-proxy.forward.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.smtp-proxy.forward.port", String.valueOf(BACKEND_PORT));

    /** Forwards everything but a blocked sender; records what its hooks saw. */
    @Protocol(value = "smtp-proxy", codec = SmtpCodec.class)
    public static class SmtpProxy {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> senders = new CopyOnWriteArrayList<>();

        @NonBlocking
        @OnCommand("MAIL")
        String mail(Command command) {
            senders.add(command.line());
            return command.arguments().contains("blocked@") ? "550 blocked by the proxy" : null;
        }

        @NonBlocking
        @OnLine
        void seen(Command command) {
            lines.add(command.line());
        }
    }

    /** Just enough SMTP: a multi-line EHLO, a message read as raw lines, kept dot-unstuffed. */
    @Protocol("smtp-backend")
    public static class Backend {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @OnConnect
        String greet() {
            return "220 backend ESMTP";
        }

        @OnCommand("EHLO")
        Reply ehlo() {
            return Reply.of("250-backend", "250-PIPELINING", "250 SIZE 100000");
        }

        @OnCommand("MAIL")
        String mail() {
            return "250 OK";
        }

        @OnCommand("RCPT")
        String rcpt() {
            return "250 OK";
        }

        @OnCommand("DATA")
        String data(Session session) {
            session.attribute("message", new StringBuilder());
            session.startRawLines();
            return "354 go ahead";
        }

        @OnCommand("QUIT")
        Reply quit() {
            return Reply.close("221 Bye");
        }

        @OnLine
        String line(Session session, String line) {
            if (!session.readsRawLines()) {
                return "500 unknown command";
            }
            StringBuilder message = session.<StringBuilder> attribute("message").orElseThrow();
            if (line.equals(".")) {
                session.stopRawLines();
                messages.add(message.toString());
                return "250 OK: queued";
            }
            message.append(line.startsWith(".") ? line.substring(1) : line).append('\n');
            return null;
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    SmtpProxy proxy;

    @Inject
    Backend backend;

    @Test
    void hooksSeeTheCommandsAndNeverTheMessagesLines() throws Exception {
        CommandCount quitBefore = count("QUIT");
        try (LineClient client = LineClient.connect(manager, "smtp-proxy")) {
            assertThat(client.readLine()).isEqualTo("220 backend ESMTP");
            assertThat(client.call("EHLO client.example")).isEqualTo("250-backend");
            assertThat(client.readLine()).isEqualTo("250-PIPELINING");
            assertThat(client.readLine()).isEqualTo("250 SIZE 100000");
            assertThat(client.call("MAIL FROM:<a@example.org>")).isEqualTo("250 OK");
            assertThat(client.call("RCPT TO:<b@example.org>")).isEqualTo("250 OK");
            assertThat(client.call("DATA")).isEqualTo("354 go ahead");
            client.sendBytes(("Subject: lines that read as commands\r\n\r\nQUIT\r\n"
                    + "MAIL FROM:<blocked@example.org>\r\n..a dot-stuffed line\r\n.\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readLine()).isEqualTo("250 OK: queued");
            // the proxy's own hook still refuses a command
            assertThat(client.call("MAIL FROM:<blocked@example.org>")).isEqualTo("550 blocked by the proxy");
            assertThat(client.call("QUIT")).isEqualTo("221 Bye");
        }

        assertThat(backend.messages).containsExactly(
                "Subject: lines that read as commands\n\nQUIT\nMAIL FROM:<blocked@example.org>\n.a dot-stuffed line\n");
        assertThat(proxy.senders).containsExactly("MAIL FROM:<a@example.org>", "MAIL FROM:<blocked@example.org>");
        assertThat(proxy.lines).containsExactly("EHLO client.example", "RCPT TO:<b@example.org>", "DATA", ".", "QUIT");

        CommandCount ehlo = count("EHLO");
        assertThat(ehlo.replies()).as("the three-line EHLO reply pairs once").isEqualTo(ehlo.count());
        CommandCount data = count("DATA");
        assertThat(data.replies()).isEqualTo(data.count());
        assertThat(data.errors()).isZero();
        CommandCount quit = count("QUIT");
        assertThat(quit.count() - quitBefore.count()).as("QUIT commands: not the message's line").isEqualTo(1);
        assertThat(quit.replies() - quitBefore.replies()).isEqualTo(1);
    }

    private CommandCount count(String verb) {
        return manager.protocol("smtp-proxy").orElseThrow().statistics().snapshot().stream()
                .filter(count -> count.verb().equals(verb)).findFirst()
                .orElse(new CommandCount(verb, 0, 0, 0, 0, 0, 0));
    }
}
