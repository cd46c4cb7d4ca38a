package io.smprotocol.runtime.server;

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
        // the build validates return types, so only a raw Uni or CompletionStage of something else gets here
        throw new IllegalStateException("A hook returned " + result.getClass().getName()
                + "; hooks return void, String or Reply, or a Uni or CompletionStage of those");
    }
}
