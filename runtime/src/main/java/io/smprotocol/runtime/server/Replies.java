package io.smprotocol.runtime.server;

import io.smprotocol.Relay;
import io.smprotocol.Reply;

/**
 * Turns what a hook returned into a {@link Reply}.
 */
final class Replies {

    private Replies() {
    }

    static Reply from(Object result) {
        if (result == null) {
            return Reply.none();
        }
        if (result instanceof Reply reply) {
            return reply;
        }
        if (result instanceof String line) {
            return Reply.of(line);
        }
        if (result instanceof Relay relay) {
            // a protocol that does not proxy has nothing to forward: a replacement is its reply
            return relay.action() == Relay.Action.REPLACE ? new Reply(relay.lines(), false) : Reply.none();
        }
        // the build validates return types, so only a raw Uni or CompletionStage of something else gets here
        throw new IllegalStateException("A hook returned " + result.getClass().getName()
                + "; hooks return void, String or Reply, or a Uni or CompletionStage of those");
    }
}
