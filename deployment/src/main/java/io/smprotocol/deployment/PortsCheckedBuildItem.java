package io.smprotocol.deployment;

import io.quarkus.builder.item.EmptyBuildItem;

/**
 * Marks the recorded check that no two listeners share an address: every step that starts listeners consumes it, so
 * the check runs first.
 */
public final class PortsCheckedBuildItem extends EmptyBuildItem {
}
