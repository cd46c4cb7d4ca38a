package io.smprotocol.runtime.hook;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import jakarta.enterprise.invoke.Invoker;

import io.quarkus.virtual.threads.VirtualThreadsRecorder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Calls one hook for several inputs, one after the other, in one visit of the hook's thread: a blocking hook that
 * reads a payload line by line then costs two thread switches per read, not two per line. The calls stay serial and
 * in order, as {@link HookExecutor#invoke} calls of one connection are.
 */
public final class SerialInvocations {

    /**
     * What the calls gave, in input order.
     *
     * @param results the results of the calls made, an asynchronous last one awaited
     * @param failure the failure of the call after the last result, or {@code null}: no call follows a failure
     */
    public record Outcome(List<Object> results, Throwable failure) {
    }

    private SerialInvocations() {
    }

    /**
     * @param hook the hook to call
     * @param calls how many calls to make at most
     * @param arguments the arguments of the call of that index (made on the hook's thread, so they must not touch
     *        state confined to the event loop)
     * @param goOn asked after each call whether the next one is made (the hook may have ended what it reads)
     * @param context the connection's event-loop context; the outcome completes on it
     * @return the outcome; its results may be fewer than the inputs, when {@code goOn} said stop, a call failed or a
     *         call returned an asynchronous result (which is awaited before any other call)
     */
    public static Future<Outcome> invoke(HookMethod hook, int calls, IntFunction<Object[]> arguments,
            BooleanSupplier goOn, Context context) {
        Invoker<Object, Object> invoker = hook.invoker().getValue();
        Future<Outcome> called = switch (hook.executionModel()) {
            case EVENT_LOOP -> Future.succeededFuture(callEach(invoker, calls, arguments, goOn));
            case WORKER -> {
                // resumed through the context's task queue, as HookExecutor does: what the hook queued on the event
                // loop (Session.send) runs before its results are handled
                Promise<Outcome> resumed = Promise.promise();
                context.<Outcome> executeBlocking(() -> callEach(invoker, calls, arguments, goOn), false)
                        .onComplete(result -> context.runOnContext(ignored -> resumed.handle(result)));
                yield resumed.future();
            }
            case VIRTUAL_THREAD -> {
                Promise<Outcome> resumed = Promise.promise();
                VirtualThreadsRecorder.getCurrent().execute(() -> {
                    Outcome outcome = callEach(invoker, calls, arguments, goOn);
                    context.runOnContext(ignored -> resumed.complete(outcome));
                });
                yield resumed.future();
            }
        };
        return called.compose(outcome -> awaitLast(outcome, context));
    }

    private static Outcome callEach(Invoker<Object, Object> invoker, int calls, IntFunction<Object[]> arguments,
            BooleanSupplier goOn) {
        List<Object> results = new ArrayList<>(Math.min(calls, 16));
        for (int i = 0; i < calls; i++) {
            Object result;
            try {
                result = invoker.invoke(null, arguments.apply(i));
            } catch (Throwable failure) {
                return new Outcome(results, failure);
            }
            results.add(result);
            if (result instanceof CompletionStage<?> || !goOn.getAsBoolean()) {
                // an asynchronous result completes before the next call starts
                break;
            }
        }
        return new Outcome(results, null);
    }

    /** Replaces an asynchronous last result by its value, or by its failure. */
    private static Future<Outcome> awaitLast(Outcome outcome, Context context) {
        List<Object> results = outcome.results();
        if (results.isEmpty() || !(results.get(results.size() - 1) instanceof CompletionStage<?> stage)) {
            return Future.succeededFuture(outcome);
        }
        Promise<Outcome> awaited = Promise.promise();
        stage.whenComplete((value, failure) -> context.runOnContext(ignored -> {
            List<Object> done = new ArrayList<>(results.subList(0, results.size() - 1));
            if (failure != null) {
                awaited.complete(new Outcome(done, HookExecutor.unwrap(failure)));
            } else {
                done.add(value);
                awaited.complete(new Outcome(done, null));
            }
        }));
        return awaited.future();
    }
}
