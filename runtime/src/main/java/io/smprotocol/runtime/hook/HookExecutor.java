package io.smprotocol.runtime.hook;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.enterprise.invoke.Invoker;

import io.quarkus.virtual.threads.VirtualThreadsRecorder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Runs hooks in their execution model and brings every outcome back to the connection's context, so that the
 * caller handles results on its event loop whatever thread the hook ran on.
 */
public final class HookExecutor {

    private HookExecutor() {
    }

    /**
     * @param hook the hook to run
     * @param arguments its arguments, in parameter order
     * @param context the connection's (duplicated) event-loop context; the call is made on it
     * @return the hook's result (an asynchronous result already awaited), completed on {@code context}
     */
    public static Future<Object> invoke(HookMethod hook, Object[] arguments, Context context) {
        Invoker<Object, Object> invoker = hook.invoker().getValue();
        return switch (hook.executionModel()) {
            case EVENT_LOOP -> {
                try {
                    yield awaited(invoker.invoke(null, arguments), context);
                } catch (Throwable failure) {
                    yield Future.failedFuture(failure);
                }
            }
            case WORKER -> {
                // resume through the context's task queue, never inline: what the hook queued on the event loop
                // (Session.send, resetSequences) must run before its result is handled
                Promise<Object> resumed = Promise.promise();
                context.<Object> executeBlocking(() -> invokeUnchecked(invoker, arguments), false)
                        .onComplete(result -> context.runOnContext(ignored -> resumed.handle(result)));
                yield resumed.future().compose(result -> awaited(result, context));
            }
            case VIRTUAL_THREAD -> onExecutor(VirtualThreadsRecorder.getCurrent(), invoker, arguments, context)
                    .compose(result -> awaited(result, context));
        };
    }

    private static Future<Object> onExecutor(Executor executor, Invoker<Object, Object> invoker, Object[] arguments,
            Context context) {
        Promise<Object> promise = Promise.promise();
        executor.execute(() -> {
            try {
                Object result = invoker.invoke(null, arguments);
                context.runOnContext(ignored -> promise.complete(result));
            } catch (Throwable failure) {
                context.runOnContext(ignored -> promise.fail(failure));
            }
        });
        return promise.future();
    }

    private static Object invokeUnchecked(Invoker<Object, Object> invoker, Object[] arguments) throws Exception {
        try {
            return invoker.invoke(null, arguments);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Future<Object> awaited(Object result, Context context) {
        if (result instanceof CompletionStage<?> stage) {
            Promise<Object> promise = Promise.promise();
            stage.whenComplete((value, failure) -> context.runOnContext(ignored -> {
                if (failure != null) {
                    promise.fail(unwrap(failure));
                } else {
                    promise.complete(value);
                }
            }));
            return promise.future();
        }
        return Future.succeededFuture(result);
    }

    static Throwable unwrap(Throwable failure) {
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }
}
