package io.smprotocol.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * Marks a recorded start of listeners (the protocols', the download manager's): steps that need every listener to
 * exist consume them all.
 */
public final class ListenersStartedBuildItem extends MultiBuildItem {
}
