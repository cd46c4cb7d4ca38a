package io.smprotocol.runtime.hook;

import jakarta.enterprise.invoke.Invoker;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;

/**
 * Calls a hook on its protocol's {@code @Singleton} instance, looked up the first time and kept: an invoker with
 * instance lookup would ask the container for it on every call, that is on every command. A singleton is one
 * instance for the application's life, so keeping it changes nothing else.
 */
final class SingletonInstanceInvoker implements Invoker<Object, Object> {

    private final Invoker<Object, Object> invoker;
    private final String beanId;
    private volatile Object instance;

    /**
     * @param invoker the generated invoker, built without instance lookup
     * @param beanId the identifier of the protocol's bean
     */
    SingletonInstanceInvoker(Invoker<Object, Object> invoker, String beanId) {
        this.invoker = invoker;
        this.beanId = beanId;
    }

    @Override
    public Object invoke(Object ignored, Object[] arguments) throws Exception {
        Object target = instance;
        return invoker.invoke(target != null ? target : lookUp(), arguments);
    }

    private synchronized Object lookUp() {
        if (instance == null) {
            InjectableBean<?> bean = Arc.container().bean(beanId);
            instance = Arc.container().instance(bean).get();
        }
        return instance;
    }
}
