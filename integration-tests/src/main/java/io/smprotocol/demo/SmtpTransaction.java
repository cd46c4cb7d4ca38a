package io.smprotocol.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One mail transaction of the demo SMTP server, from MAIL to the end of its data. Confined to its session, whose hooks
 * run one at a time.
 */
final class SmtpTransaction {

    private final String from;
    private final List<String> recipients = new ArrayList<>();
    private final long maxSize;
    private StringBuilder body;
    private long size;

    SmtpTransaction(String from, long maxSize) {
        this.from = from;
        this.maxSize = maxSize;
    }

    void recipient(String address) {
        recipients.add(address);
    }

    boolean hasRecipients() {
        return !recipients.isEmpty();
    }

    List<String> recipients() {
        return recipients;
    }

    String from() {
        return from;
    }

    void startData() {
        body = new StringBuilder();
        size = 0;
    }

    /** Adds a dot-unstuffed line of the message; past the size limit it is only counted. */
    void line(String content) {
        size += content.length() + 2;
        if (size <= maxSize) {
            keep(content);
            keep("\r\n");
        }
    }

    private void keep(String text) {
        int room = Mailbox.KEPT_BODY - body.length();
        if (room > 0) {
            body.append(text, 0, Math.min(text.length(), room));
        }
    }

    boolean tooLarge() {
        return size > maxSize;
    }

    Mail mail() {
        return new Mail(from, List.copyOf(recipients), body.toString(), size);
    }
}
