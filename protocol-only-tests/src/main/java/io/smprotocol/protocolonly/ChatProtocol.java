package io.smprotocol.protocolonly;

import io.smprotocol.AttributeKey;
import io.smprotocol.Command;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.Session;

/**
 * A line chat: {@code NICK name}, then {@code SAY text} reaches every other member.
 */
@Protocol("chat")
public class ChatProtocol {

    static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);

    @OnCommand("NICK")
    String nick(Session session, Command command) {
        session.attribute(NICK, command.arguments());
        return "OK";
    }

    @OnCommand("SAY")
    String say(Session session, Command command) {
        String line = session.attribute(NICK).orElse("anonymous") + ": " + command.arguments();
        for (Session member : session.openSessions()) {
            if (member != session) {
                member.send(line);
            }
        }
        return "OK";
    }
}
