package io.smprotocol.deployment;

import java.util.List;

import io.quarkus.arc.processor.InvokerInfo;
import io.smprotocol.runtime.hook.ArgumentKind;
import io.smprotocol.runtime.hook.ExecutionModel;
import io.smprotocol.runtime.hook.HookKind;

/**
 * A validated hook method and the invoker generated for it.
 */
record FoundHook(HookKind kind, String verb, List<String> sequence, List<ArgumentKind> arguments,
        ExecutionModel executionModel, String description, InvokerInfo invoker) {
}
