package io.smprotocol.runtime.server;

import java.util.ArrayDeque;
import java.util.function.Consumer;

import io.smprotocol.Reply;

/**
 * What a proxy owes its client, in command order: a reply of the backend to a forwarded command (which the
 * statistics pair with it), or a hook's own answer, held until the backend has answered every command before it.
 * Confined to the connection's event loop.
 */
final class OwedReplies {

    /**
     * Forwarded commands remembered for pairing with replies. Commands a backend never answers (memcached's
     * noreply) must not grow it without bound: past this, the oldest is forgotten.
     */
    private static final int MAX_AWAITING = 4096;

    /** A reply owed: the backend's to a command of this verb sent then, or a hook's answer. */
    record Owed(String verb, long sentAt, Reply answer) {
        boolean fromBackend() {
            return answer == null;
        }
    }

    // small at first: most connections have a command or two in flight; pipelining grows it
    private final ArrayDeque<Owed> owed = new ArrayDeque<>(4);

    /**
     * A command went to the backend: its reply is owed.
     *
     * @param release receives the hooks' answers that forgetting the oldest command let go
     */
    void expect(String verb, long sentAt, Consumer<Reply> release) {
        if (owed.size() >= MAX_AWAITING) {
            owed.poll();
            release(release);
        }
        owed.add(new Owed(verb, sentAt, null));
    }

    /**
     * A hook answered a command itself.
     *
     * @return whether the answer can be written now; if not, it is held until the replies before it are
     */
    boolean answer(Reply answer) {
        if (owed.isEmpty()) {
            return true;
        }
        owed.add(new Owed(null, 0, answer));
        return false;
    }

    /** @return the oldest thing owed, removed, or {@code null}: the backend's reply pairs with it */
    Owed replied() {
        return owed.poll();
    }

    /** Hands on the hooks' answers that no backend reply precedes any more. */
    void release(Consumer<Reply> write) {
        while (!owed.isEmpty() && !owed.peek().fromBackend()) {
            write.accept(owed.poll().answer());
        }
    }

    /** @return whether the oldest thing owed is a backend reply (or nothing is owed) */
    boolean peekFromBackend() {
        Owed first = owed.peek();
        return first == null || first.fromBackend();
    }

    boolean isEmpty() {
        return owed.isEmpty();
    }
}
