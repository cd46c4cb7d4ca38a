package io.smprotocol.demo;

import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.OnLine;
import io.smprotocol.OnSequence;
import io.smprotocol.Protocol;
import io.smprotocol.RawLineFaults;
import io.smprotocol.Reply;
import io.smprotocol.Session;

/**
 * A small SMTP server (RFC 5321) that accepts every mail and keeps the last ones in memory. A real client completes
 * a transaction with it: greeting, EHLO/HELO, MAIL FROM (with SIZE, RFC 1870), RCPT TO, DATA with dot-stuffing, QUIT.
 * <p>
 * A message gets one reply, after its final dot: a line in it that was too long or badly ended, or a message over
 * {@code smprotocol.demo.smtp.max-message-size}, rejects the whole message (RFC 5321 4.5.3.1.6 and 4.1.1.4, RFC 1870).
 */
@Protocol("smtp")
public class SmtpProtocol {

    private static final Logger LOG = Logger.getLogger(SmtpProtocol.class);
    private static final String TRANSACTION = "smtp.transaction";

    private final Mailbox mailbox;
    private final long maxMessageSize;

    public SmtpProtocol(Mailbox mailbox,
            @ConfigProperty(name = "smprotocol.demo.smtp.max-message-size", defaultValue = "67108864") long maxMessageSize) {
        this.mailbox = mailbox;
        this.maxMessageSize = maxMessageSize;
    }

    @OnConnect
    String greet(Session session) {
        return "220 smprotocol.demo ESMTP ready";
    }

    @OnCommand("EHLO")
    Reply ehlo(Session session, Command command) {
        resetTransaction(session);
        return Reply.of("250-smprotocol.demo greets " + command.arguments(), "250-8BITMIME", "250-SIZE " + maxMessageSize,
                "250 HELP");
    }

    @OnCommand("HELO")
    String helo(Session session, Command command) {
        resetTransaction(session);
        return "250 smprotocol.demo greets " + command.arguments();
    }

    @OnCommand("HELP")
    Reply help() {
        return Reply.of("214-Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN",
                "214 End of HELP info");
    }

    /** RFC 5321 4.5.1 requires VRFY; 252 says the address is not verified, but mail to it is accepted. */
    @OnCommand("VRFY")
    String vrfy() {
        return "252 Cannot VRFY user, but will accept message and attempt delivery";
    }

    @OnCommand("EXPN")
    String expn() {
        return "502 Command not implemented";
    }

    @OnCommand("MAIL")
    String mail(Session session, Command command) {
        String arguments = command.arguments();
        String from = address(arguments, "FROM:");
        if (from == null) {
            return "501 Syntax: MAIL FROM:<address>";
        }
        long declared = declaredSize(arguments);
        if (declared < -1) {
            return "501 Syntax: SIZE=<number>";
        }
        if (declared > maxMessageSize) {
            return "552 Message size exceeds fixed maximum message size";
        }
        resetTransaction(session);
        session.attribute(TRANSACTION, new SmtpTransaction(from, maxMessageSize));
        return "250 OK";
    }

    @OnCommand("RCPT")
    String rcpt(Session session, Command command) {
        SmtpTransaction transaction = session.<SmtpTransaction> attribute(TRANSACTION).orElse(null);
        if (transaction == null) {
            return "503 MAIL first";
        }
        String to = address(command.arguments(), "TO:");
        if (to == null) {
            return "501 Syntax: RCPT TO:<address>";
        }
        transaction.recipient(to);
        return "250 OK";
    }

    @OnCommand("DATA")
    String data(Session session) {
        SmtpTransaction transaction = session.<SmtpTransaction> attribute(TRANSACTION).orElse(null);
        if (transaction == null || !transaction.hasRecipients()) {
            return "503 RCPT first";
        }
        transaction.startData();
        session.startRawLines();
        return "354 End data with <CR><LF>.<CR><LF>";
    }

    /** Lines of the message body while DATA reads raw lines; any other line is an unknown command. */
    @OnLine
    String line(Session session, String line) {
        if (!session.readsRawLines()) {
            return "500 Unknown command";
        }
        SmtpTransaction transaction = session.<SmtpTransaction> attribute(TRANSACTION).orElseThrow();
        if (!line.equals(".")) {
            // dot-unstuffing (RFC 5321 4.5.2): a leading dot was doubled by the client
            transaction.line(line.startsWith(".") ? line.substring(1) : line);
            return null;
        }
        session.stopRawLines();
        RawLineFaults faults = session.rawLineFaults();
        resetTransaction(session);
        // the whole message is refused: a lost line would corrupt it silently
        if (faults.tooLong() > 0) {
            return "500 Line too long";
        }
        if (faults.bareLineEndings() > 0) {
            return "554 Message rejected: bare CR or LF in the message";
        }
        if (transaction.tooLarge()) {
            return "552 Message size exceeds fixed maximum message size";
        }
        mailbox.deliver(transaction.mail());
        return "250 OK: queued as " + mailbox.size();
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
        SmtpTransaction transaction = session.<SmtpTransaction> attribute(TRANSACTION).orElse(null);
        LOG.infof("[smtp] transaction from %s: MAIL %s, RCPT %s, DATA", session.remoteAddress(),
                transaction != null ? transaction.from() : "?",
                transaction != null ? transaction.recipients() : List.of());
    }

    @OnClose
    void closed(Session session, CloseReason reason) {
        LOG.debugf("[smtp] %s closed: %s", session.remoteAddress(), reason);
    }

    private static void resetTransaction(Session session) {
        session.attribute(TRANSACTION, null);
        session.resetSequences();
    }

    private static String address(String arguments, String prefix) {
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

    /** @return the SIZE parameter of MAIL FROM (RFC 1870), -1 without one, -2 when it is not a number */
    private static long declaredSize(String arguments) {
        String parameters = arguments.substring(arguments.indexOf('>') + 1).trim();
        for (String parameter : parameters.split("\\s+")) {
            if (parameter.toUpperCase(Locale.ROOT).startsWith("SIZE=")) {
                try {
                    long size = Long.parseLong(parameter.substring("SIZE=".length()));
                    return size >= 0 ? size : -2;
                } catch (NumberFormatException e) {
                    // more digits than a long holds is still a size, and too large
                    return parameter.substring("SIZE=".length()).matches("[0-9]+") ? Long.MAX_VALUE : -2;
                }
            }
        }
        return -1;
    }
}
