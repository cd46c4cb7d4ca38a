package io.smprotocol.downloads.deployment;

import io.quarkus.builder.item.EmptyBuildItem;

/**
 * Download tracking has started (or is disabled): the download listener may start, and its stop at shutdown runs
 * before tracking's.
 */
public final class TrackingStartedBuildItem extends EmptyBuildItem {
}
