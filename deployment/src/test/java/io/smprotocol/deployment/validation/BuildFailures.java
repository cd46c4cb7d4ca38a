package io.smprotocol.deployment.validation;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Reads a failed build's exception, which Quarkus wraps (deployment exceptions with causes and suppressed ones).
 */
public final class BuildFailures {

    private BuildFailures() {
    }

    /**
     * @param failure what the build threw
     * @return the class and message of that throwable and of every cause and suppressed throwable under it, one a line
     */
    public static String allMessages(Throwable failure) {
        StringJoiner messages = new StringJoiner("\n");
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> toVisit = new ArrayDeque<>();
        toVisit.add(failure);
        while (!toVisit.isEmpty()) {
            Throwable current = toVisit.poll();
            if (!seen.add(current)) {
                continue;
            }
            messages.add(current.getClass().getName() + ": " + current.getMessage());
            if (current.getCause() != null) {
                toVisit.add(current.getCause());
            }
            for (Throwable suppressed : current.getSuppressed()) {
                toVisit.add(suppressed);
            }
        }
        return messages.toString();
    }
}
