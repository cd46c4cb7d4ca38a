package io.smprotocol.runtime.hook;

import java.util.List;

import jakarta.enterprise.invoke.Invoker;

import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.RecordableConstructor;

/**
 * One hook of a protocol, as found and validated at build time.
 *
 * @param kind which hook annotation the method carries
 * @param verb the command verb of an {@code @OnCommand} hook (upper case), otherwise {@code null}
 * @param sequence the verbs of an {@code @OnSequence} hook (upper case), otherwise empty
 * @param arguments what to pass for each parameter, in order
 * @param executionModel where the hook runs
 * @param description {@code ClassName#method()}, for logs and errors
 * @param invoker the invoker ArC generated at build time for the method
 */
public record HookMethod(HookKind kind, String verb, List<String> sequence, List<ArgumentKind> arguments,
        ExecutionModel executionModel, String description, RuntimeValue<Invoker<Object, Object>> invoker) {

    @RecordableConstructor
    public HookMethod {
    }
}
