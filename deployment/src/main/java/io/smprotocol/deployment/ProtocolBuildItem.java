package io.smprotocol.deployment;

import java.util.List;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * A {@code @Protocol} class with its validated hooks.
 */
public final class ProtocolBuildItem extends MultiBuildItem {

    private final String name;
    private final String beanClass;
    private final List<FoundHook> hooks;
    private final String codecClass;
    private final String singletonBean;

    ProtocolBuildItem(String name, String beanClass, List<FoundHook> hooks, String codecClass, String singletonBean) {
        this.name = name;
        this.beanClass = beanClass;
        this.hooks = List.copyOf(hooks);
        this.codecClass = codecClass;
        this.singletonBean = singletonBean;
    }

    /** @return the bean's identifier when the class is a {@code @Singleton}, else {@code null} */
    public String singletonBean() {
        return singletonBean;
    }

    /** @return the class of the protocol's codec */
    public String codecClass() {
        return codecClass;
    }

    public String name() {
        return name;
    }

    public String beanClass() {
        return beanClass;
    }

    List<FoundHook> hooks() {
        return hooks;
    }
}
