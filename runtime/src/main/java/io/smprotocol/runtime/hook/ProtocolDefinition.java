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
 * @param singletonBean the bean identifier when the class is a {@code @Singleton}: its hooks' invokers then take the
 *        instance from the caller instead of looking it up on every call (see {@link #withSingletonInstance()});
 *        {@code null} for any other scope
 */
public record ProtocolDefinition(String name, String beanClass, List<HookMethod> hooks, RuntimeValue<Codec> codec,
        String singletonBean) {

    @RecordableConstructor
    public ProtocolDefinition {
    }

    /**
     * @return this definition ready to be called at runtime: for a {@code @Singleton} protocol, its hooks are called
     *         on the one instance, looked up once
     */
    public ProtocolDefinition withSingletonInstance() {
        if (singletonBean == null) {
            return this;
        }
        List<HookMethod> bound = hooks.stream().map(hook -> new HookMethod(hook.kind(), hook.verb(), hook.sequence(),
                hook.arguments(), hook.executionModel(), hook.description(),
                new RuntimeValue<>(new SingletonInstanceInvoker(hook.invoker().getValue(), singletonBean))))
                .toList();
        return new ProtocolDefinition(name, beanClass, bound, codec, null);
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
