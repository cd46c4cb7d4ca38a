package io.smprotocol.deployment;

import java.util.List;

import io.quarkus.builder.item.MultiBuildItem;
import io.quarkus.runtime.RuntimeValue;
import io.smprotocol.runtime.server.ListenerAddress;

/**
 * Where some listeners of the application are configured to listen, known at run time: each extension with
 * listeners produces one, and the start fails before any listener binds when two of them share an address.
 */
public final class ListenerAddressBuildItem extends MultiBuildItem {

    private final RuntimeValue<List<ListenerAddress>> addresses;

    public ListenerAddressBuildItem(RuntimeValue<List<ListenerAddress>> addresses) {
        this.addresses = addresses;
    }

    /** @return the listeners' addresses, read from the runtime configuration */
    public RuntimeValue<List<ListenerAddress>> addresses() {
        return addresses;
    }
}
