package io.smprotocol.deployment;

import io.quarkus.builder.item.EmptyBuildItem;

/**
 * Marks that the recorded start of the protocols comes before: steps that need the protocols to exist consume it.
 */
public final class ProtocolsStartedBuildItem extends EmptyBuildItem {
}
