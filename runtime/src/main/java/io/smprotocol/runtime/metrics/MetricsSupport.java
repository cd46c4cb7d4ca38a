package io.smprotocol.runtime.metrics;

import io.smprotocol.runtime.server.ProtocolMetrics;
import io.smprotocol.runtime.tracking.DownloadTracker;

/**
 * The one place that touches Micrometer classes, reached only when the application has quarkus-micrometer.
 */
public final class MetricsSupport {

    private MetricsSupport() {
    }

    /** @return a factory of Micrometer-backed protocol metrics */
    public static ProtocolMetrics.Factory micrometer() {
        return MicrometerProtocolMetrics.factory();
    }

    /** @param tracker the running application's download tracker, reported from now on */
    public static void tracking(DownloadTracker tracker) {
        TrackingMeters.register(tracker);
    }
}
