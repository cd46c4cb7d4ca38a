package io.smprotocol.runtime.metrics;

import io.smprotocol.runtime.server.ProtocolMetrics;

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
}
