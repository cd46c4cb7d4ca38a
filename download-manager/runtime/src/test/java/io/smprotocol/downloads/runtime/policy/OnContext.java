package io.smprotocol.downloads.runtime.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Runs a call on a Vert.x context, as an event loop would, and waits for its future; closes a test's Vert.x. */
public final class OnContext {

    private OnContext() {
    }

    /** @return the result of {@code call}, run on {@code context}, once its future completed (10 s at most) */
    public static <T> T on(Context context, Supplier<Future<T>> call) throws Exception {
        return await(start(context, call));
    }

    /** @return the future of {@code call}, started on {@code context}, not waited for */
    public static <T> CompletableFuture<T> start(Context context, Supplier<Future<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> call.get().onComplete(r -> {
            if (r.succeeded()) {
                result.complete(r.result());
            } else {
                result.completeExceptionally(r.cause());
            }
        }));
        return result;
    }

    /** @return the result, once there (10 s at most) */
    public static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** Closes {@code vertx} and waits until it is closed (10 s at most). */
    public static void close(Vertx vertx) throws Exception {
        await(vertx.close().toCompletionStage().toCompletableFuture());
    }
}
