package io.smprotocol.runtime.server;

import java.util.Optional;

import io.smprotocol.Command;
import io.smprotocol.Reply;
import io.smprotocol.runtime.hook.HookExecutor;
import io.smprotocol.runtime.hook.HookMethod;
import io.vertx.core.Future;

/**
 * How one connection calls its protocol's hooks: the arguments each hook asks for, the time it took (counted in the
 * connection's tally), and what stands instead of a failure (the error hook's result, or the configured error
 * reply). A hook's failure never escapes: it becomes the reply the client gets. Confined to the connection's event
 * loop.
 */
final class HookCalls {

    private final Connection connection;

    HookCalls(Connection connection) {
        this.connection = connection;
    }

    /** Runs a hook; a failure goes to the error hook, whose result (or the configured error reply) stands instead. */
    Future<Object> call(HookMethod hook, Command command, String line, Throwable failure) {
        long started = connection.now();
        Future<Object> result = HookExecutor.invoke(hook, arguments(hook, command, line, failure), connection.context());
        if (result.succeeded()) {
            // answered at once (an event-loop hook): no chain of futures to build, per pipelined command
            connection.tally().hookCalled(hook.description(), connection.tick() - started);
            return result;
        }
        return result.andThen(ignored -> connection.tally().hookCalled(hook.description(), connection.tick() - started))
                .recover(this::onHookFailure);
    }

    /** {@link #call} for a served command, recording its latency and whether its hook failed. */
    Future<Object> callCounted(HookMethod hook, Command command, String line, String verb, long started) {
        Future<Object> result = HookExecutor.invoke(hook, arguments(hook, command, line, null), connection.context());
        if (result.succeeded()) {
            answered(hook, verb, started, false);
            return result;
        }
        return result.andThen(outcome -> answered(hook, verb, started, outcome.failed()))
                .recover(this::onHookFailure);
    }

    /** Runs the close hook, if any; its failure is logged, never thrown. */
    Future<Void> closeHook() {
        ProtocolServer server = connection.server();
        ProtocolRuntime runtime = connection.runtime();
        return runtime.hooks().close()
                .map(hook -> HookExecutor.invoke(hook, arguments(hook, null, null, null), connection.context())
                        .<Void> mapEmpty()
                        .recover(failure -> {
                            server.log().errorf(failure, "[%s] %s failed", server.name(), hook.description());
                            return Future.succeededFuture();
                        }))
                .orElse(Future.succeededFuture());
    }

    private void answered(HookMethod hook, String verb, long started, boolean failed) {
        long took = connection.tick() - started;
        connection.tally().hookCalled(hook.description(), took);
        connection.tally().answered(verb, took, failed);
    }

    Future<Object> onHookFailure(Throwable failure) {
        ProtocolServer server = connection.server();
        ProtocolRuntime runtime = connection.runtime();
        runtime.metrics().hookFailed();
        Optional<HookMethod> errorHook = runtime.hooks().error();
        if (errorHook.isEmpty()) {
            server.log().errorf(failure, "[%s] a hook failed on connection %s", server.name(), connection.id());
            return Future.succeededFuture(Reply.of(runtime.config().replies().error()));
        }
        HookMethod hook = errorHook.get();
        return HookExecutor.invoke(hook, arguments(hook, null, null, failure), connection.context())
                .recover(secondFailure -> {
                    secondFailure.addSuppressed(failure);
                    server.log().errorf(secondFailure, "[%s] %s failed", server.name(), hook.description());
                    return Future.succeededFuture(Reply.of(runtime.config().replies().error()));
                });
    }

    Object[] arguments(HookMethod hook, Command command, String line, Throwable failure) {
        Object[] arguments = new Object[hook.arguments().size()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = switch (hook.arguments().get(i)) {
                case SESSION -> connection.session();
                case COMMAND -> command != null ? command : line != null ? Command.parse(line) : null;
                case LINE -> line;
                case CLOSE_REASON -> connection.closeReason();
                case THROWABLE -> failure;
            };
        }
        return arguments;
    }
}
