package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.AttributeKey;
import io.smprotocol.Command;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * A line chat: a hook reaches the protocol's other open connections through {@link Session#openSessions()}, and keeps
 * each member's nick under a typed {@link AttributeKey}.
 */
class OpenSessionsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("chat"), Chat.class);

    @Inject
    ProtocolManager manager;

    @Test
    void aMessageReachesEveryOtherMemberWithTheSendersNick() throws Exception {
        try (LineClient alice = LineClient.connect(manager, "chat");
                LineClient bob = LineClient.connect(manager, "chat");
                LineClient carol = LineClient.connect(manager, "chat")) {
            assertThat(alice.call("NICK alice")).isEqualTo("OK alice");
            assertThat(bob.call("NICK bob")).isEqualTo("OK bob");
            assertThat(carol.call("NICK carol")).isEqualTo("OK carol");
            assertThat(alice.call("SAY hello")).isEqualTo("SENT 2");
            assertThat(bob.readLine()).isEqualTo("alice: hello");
            assertThat(carol.readLine()).isEqualTo("alice: hello");
            // a member who left is no longer among the open sessions
            carol.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> manager.status("chat").openConnections() == 2);
            assertThat(bob.call("WHO")).isEqualTo("MEMBERS alice,bob");
        }
    }

    @Test
    void aTypedKeyReadsWhatAPlainNameSetAndNamesAWrongType() throws Exception {
        try (LineClient client = LineClient.connect(manager, "chat")) {
            assertThat(client.call("NICK dave")).isEqualTo("OK dave");
            assertThat(client.call("RAW nick")).isEqualTo("RAW dave");
            assertThat(client.call("BADTYPE")).isEqualTo("attribute 'count' holds a java.lang.String, not a java.lang.Integer");
        }
    }

    @Protocol("chat")
    public static class Chat {

        static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);
        static final AttributeKey<Integer> COUNT = AttributeKey.of("count", Integer.class);

        @OnCommand("NICK")
        String nick(Session session, Command command) {
            session.attribute(NICK, command.arguments());
            return "OK " + session.attribute(NICK).orElseThrow();
        }

        @OnCommand("SAY")
        String say(Session session, Command command) {
            String line = session.attribute(NICK).orElse("?") + ": " + command.arguments();
            int sent = 0;
            for (Session other : session.openSessions()) {
                if (!other.id().equals(session.id())) {
                    other.send(line);
                    sent++;
                }
            }
            return "SENT " + sent;
        }

        @OnCommand("WHO")
        String who(Session session) {
            return "MEMBERS " + String.join(",", session.openSessions().stream()
                    .map(member -> member.attribute(NICK).orElse("?")).sorted().toList());
        }

        @OnCommand("RAW")
        String raw(Session session, Command command) {
            return "RAW " + session.<String> attribute(command.arguments()).orElse("none");
        }

        @OnCommand("BADTYPE")
        String badType(Session session) {
            session.attribute("count", "not a number");
            try {
                return "read " + session.attribute(COUNT).orElseThrow();
            } catch (ClassCastException e) {
                return e.getMessage();
            }
        }
    }
}
