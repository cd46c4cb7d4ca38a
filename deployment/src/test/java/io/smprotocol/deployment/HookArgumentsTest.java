package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.OnLine;
import io.smprotocol.Protocol;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Hooks get their arguments by parameter type, in any order: {@link Session}, {@link Command}, the line as
 * {@code String} and {@link CloseReason}; {@code @OnLine} gets the lines no {@code @OnCommand} takes.
 */
public class HookArgumentsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("args"), ArgsProtocol.class);

    @Protocol("args")
    public static class ArgsProtocol {

        /** Session id to the reason its close hook saw. */
        final Map<String, CloseReason> closes = new ConcurrentHashMap<>();

        @OnConnect
        String connect(Session session) {
            return "220 " + session.protocol() + " " + session.id() + " " + session.localAddress().getPort() + " "
                    + session.remoteAddress().getPort() + " " + session.isOpen();
        }

        @OnCommand("ECHO")
        String echo(Session session, Command command, String line) {
            return "verb=" + command.verb() + " args=[" + command.arguments() + "] command.line=[" + command.line()
                    + "] line=[" + line + "] session=" + session.id();
        }

        @OnCommand("Reversed")
        String reversed(String line, Command command, Session session) {
            return "verb=" + command.verb() + " line=[" + line + "] session=" + session.id();
        }

        @OnCommand("REMEMBER")
        String remember(Session session, Command command) {
            session.attribute("value", command.arguments());
            return "250 remembered";
        }

        @OnCommand("FORGET")
        String forget(Session session) {
            session.attribute("value", null);
            return "250 forgotten";
        }

        @OnCommand("RECALL")
        String recall(Session session) {
            return "250 " + session.<String> attribute("value").orElse("<nothing>");
        }

        @OnCommand("RAW")
        String raw(Session session) {
            session.startRawLines();
            return "354 raw lines";
        }

        @OnLine
        String line(String line, Session session, Command command) {
            if (session.readsRawLines()) {
                if (line.equals(".")) {
                    session.stopRawLines();
                    return "250 raw done";
                }
                return "raw=[" + line + "]";
            }
            return "online verb=" + command.verb() + " args=[" + command.arguments() + "] line=[" + line
                    + "] session=" + session.id();
        }

        @OnCommand("QUIT")
        Reply quit() {
            return Reply.close("221 bye");
        }

        @OnCommand("KICK")
        void kick(Session session) {
            session.close();
        }

        @OnClose
        void closed(CloseReason reason, Session session) {
            closes.put(session.id(), reason);
        }
    }

    @Inject
    ArgsProtocol protocol;

    @Inject
    ProtocolManager manager;

    /** @return the session id from the greeting, checking the greeting's other fields */
    private String greeting(LineClient client) throws Exception {
        String[] greeting = client.readLine().split(" ");
        assertThat(greeting).hasSize(6);
        assertThat(greeting[0]).isEqualTo("220");
        assertThat(greeting[1]).isEqualTo("args");
        assertThat(greeting[2]).isNotBlank();
        assertThat(Integer.parseInt(greeting[3])).isEqualTo(client.remotePort());
        assertThat(Integer.parseInt(greeting[4])).isEqualTo(client.localPort());
        assertThat(greeting[5]).isEqualTo("true");
        return greeting[2];
    }

    @Test
    void connectHookGetsTheSession() throws Exception {
        try (LineClient first = LineClient.connect(manager, "args");
                LineClient second = LineClient.connect(manager, "args")) {
            String firstId = greeting(first);
            String secondId = greeting(second);
            assertThat(firstId).isNotEqualTo(secondId);
        }
    }

    @Test
    void commandHookGetsSessionCommandAndLine() throws Exception {
        try (LineClient client = LineClient.connect(manager, "args")) {
            String id = greeting(client);
            assertThat(client.call("echo \t Hello  World "))
                    .isEqualTo("verb=ECHO args=[Hello  World ] command.line=[echo \t Hello  World ] "
                            + "line=[echo \t Hello  World ] session=" + id);
            assertThat(client.call("ECHO"))
                    .isEqualTo("verb=ECHO args=[] command.line=[ECHO] line=[ECHO] session=" + id);
            // the annotation's verb and the client's are both compared upper-cased; parameters in any order
            assertThat(client.call("REVERSED x")).isEqualTo("verb=REVERSED line=[REVERSED x] session=" + id);
            assertThat(client.call("reversed y")).isEqualTo("verb=REVERSED line=[reversed y] session=" + id);
        }
    }

    @Test
    void sessionIsTheSameForEveryLineOfOneConnectionOnly() throws Exception {
        try (LineClient first = LineClient.connect(manager, "args");
                LineClient second = LineClient.connect(manager, "args")) {
            greeting(first);
            greeting(second);
            assertThat(first.call("REMEMBER blue")).isEqualTo("250 remembered");
            assertThat(first.call("RECALL")).isEqualTo("250 blue");
            assertThat(second.call("RECALL")).isEqualTo("250 <nothing>");
        }
    }

    @Test
    void anAttributeSetToNullIsGone() throws Exception {
        try (LineClient client = LineClient.connect(manager, "args")) {
            greeting(client);
            // removing before anything was set is no error
            assertThat(client.call("FORGET")).isEqualTo("250 forgotten");
            assertThat(client.call("RECALL")).isEqualTo("250 <nothing>");
            assertThat(client.call("REMEMBER red")).isEqualTo("250 remembered");
            assertThat(client.call("FORGET")).isEqualTo("250 forgotten");
            assertThat(client.call("RECALL")).isEqualTo("250 <nothing>");
            assertThat(client.call("REMEMBER green")).isEqualTo("250 remembered");
            assertThat(client.call("RECALL")).isEqualTo("250 green");
        }
    }

    @Test
    void lineHookGetsTheLinesNoCommandHookTakes() throws Exception {
        try (LineClient client = LineClient.connect(manager, "args")) {
            String id = greeting(client);
            assertThat(client.call("whatever you say"))
                    .isEqualTo("online verb=WHATEVER args=[you say] line=[whatever you say] session=" + id);
            assertThat(client.call("")).isEqualTo("online verb= args=[] line=[] session=" + id);
            // a command hook still takes its verb
            assertThat(client.call("RECALL")).isEqualTo("250 <nothing>");
        }
    }

    @Test
    void rawLinesGoToTheLineHookUnparsed() throws Exception {
        try (LineClient client = LineClient.connect(manager, "args")) {
            String id = greeting(client);
            assertThat(client.call("RAW")).isEqualTo("354 raw lines");
            assertThat(client.call("ECHO not a command")).isEqualTo("raw=[ECHO not a command]");
            assertThat(client.call("QUIT")).isEqualTo("raw=[QUIT]");
            assertThat(client.call(".")).isEqualTo("250 raw done");
            assertThat(client.call("ECHO back")).startsWith("verb=ECHO args=[back]").endsWith("session=" + id);
        }
    }

    @Test
    void closeHookSeesClientClosed() throws Exception {
        String id;
        try (LineClient client = LineClient.connect(manager, "args")) {
            id = greeting(client);
            assertThat(client.call("RECALL")).isEqualTo("250 <nothing>");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> protocol.closes.containsKey(id));
        assertThat(protocol.closes.get(id)).isEqualTo(CloseReason.CLIENT_CLOSED);
    }

    @Test
    void closeHookSeesClosedByHookWhenAReplyCloses() throws Exception {
        try (LineClient client = LineClient.connect(manager, "args")) {
            String id = greeting(client);
            assertThat(client.call("QUIT")).isEqualTo("221 bye");
            assertThat(client.readUntilClosed()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> protocol.closes.containsKey(id));
            assertThat(protocol.closes.get(id)).isEqualTo(CloseReason.CLOSED_BY_HOOK);
        }
    }

    @Test
    void closeHookSeesClosedByHookWhenAHookClosesTheSession() throws Exception {
        try (LineClient client = LineClient.connect(manager, "args")) {
            String id = greeting(client);
            client.send("KICK");
            assertThat(client.readUntilClosed()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> protocol.closes.containsKey(id));
            assertThat(protocol.closes.get(id)).isEqualTo(CloseReason.CLOSED_BY_HOOK);
        }
    }
}
