package io.smprotocol.runtime.hook;

import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.RecordableConstructor;
import io.smprotocol.Codec;

/**
 * A {@code @Protocol} class and its hooks, as found at build time.
 *
 * @param name the protocol's name
 * @param beanClass the class carrying {@code @Protocol}
 * @param hooks the class's hooks
 * @param codec how the protocol's bytes group into commands and replies
 */
public record ProtocolDefinition(String name, String beanClass, List<HookMethod> hooks, RuntimeValue<Codec> codec) {

    @RecordableConstructor
    public ProtocolDefinition {
    }

    /**
     * @param kind a hook kind that appears at most once per protocol
     * @return the protocol's hook of that kind
     */
    public Optional<HookMethod> hook(HookKind kind) {
        return hooks.stream().filter(h -> h.kind() == kind).findFirst();
    }

    /**
     * @param kind a hook kind
     * @return every hook of that kind, in declaration order
     */
    public List<HookMethod> hooks(HookKind kind) {
        return hooks.stream().filter(h -> h.kind() == kind).toList();
    }
}
