package io.smprotocol.deployment;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * Whether the application has quarkus-micrometer: protocols and tracking then report to it. Decided once, for every
 * build step that records metrics.
 */
public final class MicrometerBuildItem extends SimpleBuildItem {

    private final boolean present;

    MicrometerBuildItem(boolean present) {
        this.present = present;
    }

    /** @return whether Micrometer is there to report to */
    public boolean present() {
        return present;
    }
}
