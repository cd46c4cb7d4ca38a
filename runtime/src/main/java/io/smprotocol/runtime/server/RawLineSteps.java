package io.smprotocol.runtime.server;

import java.util.Optional;

import io.smprotocol.runtime.hook.HookMethod;
import io.smprotocol.runtime.hook.SerialInvocations;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Runs a {@link RawLineBatch} as one step of its connection: each run of raw lines goes to the {@code @OnLine} hook in
 * one {@link SerialInvocations} call, faults are counted for the hook to see, and once the hook has ended raw-line
 * reading the rest of the batch is served as commands, in order.
 */
final class RawLineSteps {

    /** What a connection lends the batch; called on the connection's event loop unless said otherwise. */
    interface Host {

        /** @return whether the session reads raw lines now */
        boolean readsRawLines();

        /** @return whether the server decided to close: nothing more is acted on */
        boolean closing();

        Optional<HookMethod> lineHook();

        /** @return the line hook's arguments for a line; called on the hook's thread, so it reads no loop state */
        Object[] lineArguments(HookMethod hook, String line);

        Context context();

        /** Serves a line that came after the end of raw-line reading, as a command. */
        Future<Void> command(String line);

        /** Answers a fault found after the end of raw-line reading, as for any command line. */
        Future<Void> fault(boolean tooLong);

        /** Counts a fault of a raw line for {@code Session.rawLineFaults()}. */
        void rawFault(boolean tooLong);

        /** Writes what the hook returned for a line. */
        Future<Void> answer(Object result);

        /** @return the error hook's (or the configured) answer to a hook's failure */
        Future<Object> failed(Throwable failure);

        /** Counts lines handed to the hook, and the time it took. */
        void counted(HookMethod hook, int lines, long nanos);
    }

    private final Host host;

    RawLineSteps(Host host) {
        this.host = host;
    }

    /** @return completes once every entry of the batch was handled */
    Future<Void> run(RawLineBatch batch) {
        return from(batch, 0);
    }

    private Future<Void> from(RawLineBatch batch, int start) {
        int index = start;
        while (index < batch.size() && !host.closing()) {
            String line = batch.line(index);
            if (!host.readsRawLines()) {
                // the hook ended raw-line reading at an earlier line: what follows are commands
                Future<Void> served = line != null ? host.command(line) : host.fault(batch.tooLong(index));
                int next = index + 1;
                if (!served.isComplete()) {
                    return served.compose(ignored -> from(batch, next));
                }
                index = next;
                continue;
            }
            if (line == null) {
                host.rawFault(batch.tooLong(index));
                index++;
                continue;
            }
            Optional<HookMethod> hook = host.lineHook();
            int end = batch.endOfLines(index);
            if (hook.isEmpty()) {
                // raw lines nobody reads are dropped
                index = end;
                continue;
            }
            return lines(batch, index, end, hook.get());
        }
        return Future.succeededFuture();
    }

    /** Hands the lines {@code start} to {@code end} to the hook, writes its answers, then goes on after them. */
    private Future<Void> lines(RawLineBatch batch, int start, int end, HookMethod hook) {
        long started = System.nanoTime();
        return SerialInvocations.invoke(hook, end - start, i -> host.lineArguments(hook, batch.line(start + i)),
                host::readsRawLines, host.context()).compose(outcome -> {
                    int called = outcome.results().size() + (outcome.failure() != null ? 1 : 0);
                    host.counted(hook, called, System.nanoTime() - started);
                    Future<Void> written = Future.succeededFuture();
                    for (Object result : outcome.results()) {
                        written = host.answer(result);
                    }
                    if (outcome.failure() != null) {
                        written = host.failed(outcome.failure()).compose(host::answer);
                    }
                    int next = start + called;
                    return written.isComplete() ? from(batch, next) : written.compose(ignored -> from(batch, next));
                });
    }
}
