package io.smprotocol.runtime.server;

import java.util.List;

import io.smprotocol.runtime.hook.HookMethod;

/**
 * How far one session has come through one {@code @OnSequence}. Steps match in order; other commands in between are
 * ignored. Confined to the connection's event loop.
 */
final class SequenceTracker {

    private final HookMethod hook;
    private final List<String> steps;
    private int next;

    SequenceTracker(HookMethod hook) {
        this.hook = hook;
        this.steps = hook.sequence();
    }

    /**
     * @param verb the verb of the command just handled
     * @return whether this command completed the sequence; the sequence then starts again
     */
    boolean advance(String verb) {
        if (!steps.get(next).equals(verb)) {
            return false;
        }
        next++;
        if (next == steps.size()) {
            next = 0;
            return true;
        }
        return false;
    }

    void reset() {
        next = 0;
    }

    HookMethod hook() {
        return hook;
    }
}
