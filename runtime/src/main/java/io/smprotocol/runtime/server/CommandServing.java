package io.smprotocol.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.Reply;
import io.smprotocol.runtime.config.LineTooLongAction;
import io.smprotocol.runtime.hook.HookMethod;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * What a connection's hooks do with what it receives, for a connection that serves its clients itself: the connect
 * hook, each command to its {@code @OnCommand} (or the {@code @OnLine}) hook and the unknown-command reply, the
 * sequences each command advances, and the batches of raw lines. A proxy uses the sequences too. Runs within the
 * connection's steps: the connection decides when, this class what.
 */
final class CommandServing {

    private final Connection connection;
    private final List<SequenceTracker> sequences;
    private final RawLineSteps rawSteps = new RawLineSteps(new RawLineHost());

    CommandServing(Connection connection) {
        this.connection = connection;
        List<SequenceTracker> trackers = List.of();
        List<HookMethod> hooks = connection.runtime().hooks().sequences();
        if (!hooks.isEmpty()) {
            trackers = new ArrayList<>();
            for (HookMethod hook : hooks) {
                trackers.add(new SequenceTracker(hook));
            }
        }
        this.sequences = trackers;
    }

    /** @return completes once every line of the batch was handled */
    Future<Void> rawLines(RawLineBatch batch) {
        return rawSteps.run(batch);
    }

    /** Starts every sequence over; on the connection's event loop. */
    void resetSequences() {
        sequences.forEach(SequenceTracker::reset);
    }

    Future<Void> greet() {
        return connection.runtime().hooks().connect()
                .map(hook -> writeResult(connection.hookCalls().call(hook, null, null, null)))
                .orElse(Future.succeededFuture());
    }

    Future<Void> handleLine(String line) {
        connection.tally().line();
        Optional<HookMethod> lineHook = connection.runtime().hooks().line();
        if (connection.readsRawLines()) {
            return lineHook.map(hook -> writeResult(connection.hookCalls().call(hook, null, line, null)))
                    .orElse(Future.succeededFuture());
        }
        Command command = Command.parse(line);
        HookMethod hook = connection.runtime().hooks().command(command.verb());
        // a hook's verb is one instance for all its commands: the tally and the statistics compare it by reference
        String verb = connection.tally().received(hook != null ? hook.verb() : command.verb(), line.length(), hook != null);
        if (hook == null) {
            hook = lineHook.orElse(null);
        }
        long started = connection.now();
        Future<Void> handled;
        if (hook == null) {
            handled = connection.write(Reply.of(connection.runtime().config().replies().unknownCommand()), null);
            connection.tally().answered(verb, connection.tick() - started, true);
        } else {
            handled = writeResult(connection.hookCalls().callCounted(hook, command, line, verb, started));
        }
        return sequencesAfter(handled, command);
    }

    /** Writes what a hook returned. */
    private Future<Void> writeResult(Future<Object> result) {
        return Futures.then(result, value -> connection.write(Replies.from(value), null));
    }

    Future<Void> sequencesAfter(Future<Void> handled, Command command) {
        if (sequences.isEmpty() || command.verb().isEmpty()) {
            return handled;
        }
        return handled.compose(ignored -> runSequences(command));
    }

    private Future<Void> runSequences(Command command) {
        Future<Void> chain = Future.succeededFuture();
        for (SequenceTracker tracker : sequences) {
            if (tracker.advance(command.verb())) {
                chain = chain.compose(ignored -> connection.hookCalls().call(tracker.hook(), command, command.line(), null))
                        .compose(result -> connection.relay() == null ? connection.write(Replies.from(result), null)
                                : connection.relay().answerOrIgnore(result));
            }
        }
        return chain;
    }

    /** What running a batch of raw lines needs of this connection. */
    private final class RawLineHost implements RawLineSteps.Host {

        @Override
        public boolean readsRawLines() {
            return connection.readsRawLines();
        }

        @Override
        public boolean closing() {
            return connection.closing();
        }

        @Override
        public Optional<HookMethod> lineHook() {
            return connection.runtime().hooks().line();
        }

        @Override
        public Object[] lineArguments(HookMethod hook, String line) {
            return connection.hookCalls().arguments(hook, null, line, null);
        }

        @Override
        public Context context() {
            return connection.context();
        }

        @Override
        public Future<Void> command(String line) {
            return handleLine(line);
        }

        @Override
        public Future<Void> fault(boolean tooLong) {
            if (!tooLong) {
                return connection.write(Reply.of(connection.runtime().config().replies().protocolError()), null);
            }
            String reply = connection.runtime().config().replies().lineTooLong();
            if (connection.runtime().config().lineTooLongAction() == LineTooLongAction.CLOSE) {
                connection.stopAcceptingInput();
                return connection.write(Reply.close(reply), CloseReason.LINE_TOO_LONG);
            }
            return connection.write(Reply.of(reply), null);
        }

        @Override
        public void rawFault(boolean tooLong) {
            connection.rawFault(tooLong);
        }

        @Override
        public Future<Void> answer(Object result) {
            return connection.write(Replies.from(result), null);
        }

        @Override
        public Future<Object> failed(Throwable failure) {
            return connection.hookCalls().onHookFailure(failure);
        }

        @Override
        public void counted(HookMethod hook, int lines, long nanos) {
            connection.tally().lines(lines);
            connection.tally().hookCalled(hook.description(), lines, nanos);
        }
    }
}
