package io.smprotocol.demo;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.OnLine;
import io.smprotocol.OnSequence;
import io.smprotocol.Protocol;
import io.smprotocol.Reply;
import io.smprotocol.Session;

/**
 * A small SMTP server (RFC 5321) that accepts every mail and keeps the last ones in memory. A real client completes
 * a transaction with it: greeting, EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT.
 */
@Protocol("smtp")
public class SmtpProtocol {

    private static final Logger LOG = Logger.getLogger(SmtpProtocol.class);
    private static final String FROM = "smtp.from";
    private static final String RECIPIENTS = "smtp.recipients";
    private static final String BODY = "smtp.body";

    private final Mailbox mailbox;

    public SmtpProtocol(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @OnConnect
    String greet(Session session) {
        return "220 smprotocol.demo ESMTP ready";
    }

    @OnCommand("EHLO")
    Reply ehlo(Session session, Command command) {
        resetTransaction(session);
        return Reply.of("250-smprotocol.demo greets " + command.arguments(), "250-8BITMIME", "250 HELP");
    }

    @OnCommand("HELO")
    String helo(Session session, Command command) {
        resetTransaction(session);
        return "250 smprotocol.demo greets " + command.arguments();
    }

    @OnCommand("MAIL")
    String mail(Session session, Command command) {
        String from = address(command, "FROM:");
        if (from == null) {
            return "501 Syntax: MAIL FROM:<address>";
        }
        resetTransaction(session);
        session.attribute(FROM, from);
        session.attribute(RECIPIENTS, new ArrayList<String>());
        return "250 OK";
    }

    @OnCommand("RCPT")
    String rcpt(Session session, Command command) {
        if (session.attribute(FROM).isEmpty()) {
            return "503 MAIL first";
        }
        String to = address(command, "TO:");
        if (to == null) {
            return "501 Syntax: RCPT TO:<address>";
        }
        session.<List<String>> attribute(RECIPIENTS).orElseThrow().add(to);
        return "250 OK";
    }

    @OnCommand("DATA")
    String data(Session session) {
        if (session.<List<String>> attribute(RECIPIENTS).map(List::isEmpty).orElse(true)) {
            return "503 RCPT first";
        }
        session.attribute(BODY, new StringBuilder());
        session.startRawLines();
        return "354 End data with <CR><LF>.<CR><LF>";
    }

    /** Lines of the message body while DATA reads raw lines; any other line is an unknown command. */
    @OnLine
    String line(Session session, String line) {
        if (!session.readsRawLines()) {
            return "500 Unknown command";
        }
        if (line.equals(".")) {
            session.stopRawLines();
            Mail mail = new Mail(session.<String> attribute(FROM).orElseThrow(),
                    List.copyOf(session.<List<String>> attribute(RECIPIENTS).orElseThrow()),
                    session.<StringBuilder> attribute(BODY).orElseThrow().toString());
            mailbox.deliver(mail);
            resetTransaction(session);
            return "250 OK: queued as " + mailbox.size();
        }
        // dot-unstuffing (RFC 5321 4.5.2): a leading dot was doubled by the client
        String content = line.startsWith(".") ? line.substring(1) : line;
        session.<StringBuilder> attribute(BODY).orElseThrow().append(content).append("\r\n");
        return null;
    }

    @OnCommand("RSET")
    String rset(Session session) {
        resetTransaction(session);
        return "250 OK";
    }

    @OnCommand("NOOP")
    String noop() {
        return "250 OK";
    }

    @OnCommand("QUIT")
    Reply quit() {
        return Reply.close("221 Bye");
    }

    @OnSequence({ "MAIL", "RCPT", "DATA" })
    void transaction(Session session) {
        LOG.infof("[smtp] transaction from %s: MAIL %s, RCPT %s, DATA", session.remoteAddress(),
                session.attribute(FROM).orElse("?"), session.attribute(RECIPIENTS).orElse(List.of()));
    }

    @OnClose
    void closed(Session session, CloseReason reason) {
        LOG.debugf("[smtp] %s closed: %s", session.remoteAddress(), reason);
    }

    private static void resetTransaction(Session session) {
        session.attribute(FROM, null);
        session.attribute(RECIPIENTS, null);
        session.attribute(BODY, null);
        session.resetSequences();
    }

    private static String address(Command command, String prefix) {
        String arguments = command.arguments();
        if (!arguments.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return null;
        }
        String rest = arguments.substring(prefix.length()).trim();
        int open = rest.indexOf('<');
        int close = rest.indexOf('>');
        if (open != 0 || close < 0) {
            return null;
        }
        return rest.substring(1, close);
    }
}
