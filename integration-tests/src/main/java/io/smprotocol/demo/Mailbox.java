package io.smprotocol.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

/**
 * The last mails the demo SMTP server received, kept in memory.
 */
@Singleton
public class Mailbox {

    /** The bytes of a message body kept in memory; the rest of a larger one is counted, not kept. */
    public static final int KEPT_BODY = 1024 * 1024;

    private static final int KEPT = 100;

    private final Deque<Mail> mails = new ArrayDeque<>();
    private long delivered;

    public synchronized void deliver(Mail mail) {
        mails.addFirst(mail);
        if (mails.size() > KEPT) {
            mails.removeLast();
        }
        delivered++;
    }

    public synchronized long size() {
        return delivered;
    }

    public synchronized Optional<Mail> last() {
        return Optional.ofNullable(mails.peekFirst());
    }

    public synchronized List<Mail> all() {
        return List.copyOf(mails);
    }
}
