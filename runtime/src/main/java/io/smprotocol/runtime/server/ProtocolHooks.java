package io.smprotocol.runtime.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smprotocol.runtime.hook.HookKind;
import io.smprotocol.runtime.hook.HookMethod;
import io.smprotocol.runtime.hook.ProtocolDefinition;

/**
 * A protocol's hooks indexed for the per-line lookups a connection makes.
 */
final class ProtocolHooks {

    private final Map<String, HookMethod> commands = new HashMap<>();
    private final Optional<HookMethod> connect;
    private final Optional<HookMethod> line;
    private final Optional<HookMethod> close;
    private final Optional<HookMethod> error;
    private final Optional<HookMethod> reply;
    private final List<HookMethod> sequences;

    ProtocolHooks(ProtocolDefinition definition) {
        for (HookMethod hook : definition.hooks(HookKind.COMMAND)) {
            commands.put(hook.verb(), hook);
        }
        connect = definition.hook(HookKind.CONNECT);
        line = definition.hook(HookKind.LINE);
        close = definition.hook(HookKind.CLOSE);
        error = definition.hook(HookKind.ERROR);
        reply = definition.hook(HookKind.REPLY);
        sequences = definition.hooks(HookKind.SEQUENCE);
    }

    HookMethod command(String verb) {
        return commands.get(verb);
    }

    Optional<HookMethod> connect() {
        return connect;
    }

    Optional<HookMethod> line() {
        return line;
    }

    Optional<HookMethod> close() {
        return close;
    }

    Optional<HookMethod> error() {
        return error;
    }

    Optional<HookMethod> reply() {
        return reply;
    }

    List<HookMethod> sequences() {
        return sequences;
    }
}
