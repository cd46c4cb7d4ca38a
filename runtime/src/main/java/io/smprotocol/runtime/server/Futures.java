package io.smprotocol.runtime.server;

import java.util.function.Function;

import io.vertx.core.Future;

/** What a connection's steps do with futures, without a chain of them where the result is already there. */
final class Futures {

    private Futures() {
    }

    /**
     * {@code result.compose(next)}, but run at once when the result is already there (an event-loop hook): a
     * pipelining client's commands then cost no chain of futures.
     */
    static <T> Future<Void> then(Future<T> result, Function<T, Future<Void>> next) {
        if (!result.succeeded()) {
            return result.compose(next);
        }
        try {
            return next.apply(result.result());
        } catch (RuntimeException e) {
            // as within compose: a failure fails the step, it does not escape to the code reading the socket
            return Future.failedFuture(e);
        }
    }
}
