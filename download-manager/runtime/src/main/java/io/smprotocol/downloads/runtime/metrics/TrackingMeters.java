package io.smprotocol.downloads.runtime.metrics;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.smprotocol.downloads.runtime.tracking.DownloadTracker;

/**
 * Download tracking in Micrometer: {@code smprotocol.tracking.downloads.started}, {@code .completed} and
 * {@code .stopped} (function counters: logical downloads since the process started),
 * {@code smprotocol.tracking.pending} (gauge: records waiting for MongoDB) and
 * {@code smprotocol.tracking.journal.size} (gauge, bytes).
 * <p>
 * The meters read the tracker of the running application through a holder that lives as long as the JVM (a static
 * field, so Micrometer's weak reference to it never clears): in dev mode a restarted application registers the same
 * meters again, gets the existing ones back, and they must read its tracker, not the one that stopped.
 */
public final class TrackingMeters {

    private static final AtomicReference<DownloadTracker> CURRENT = new AtomicReference<>();

    private TrackingMeters() {
    }

    /** @param tracker the running application's tracker, which the meters read from now on */
    public static void register(DownloadTracker tracker) {
        CURRENT.set(tracker);
        MeterRegistry registry = Metrics.globalRegistry;
        counter(registry, "smprotocol.tracking.downloads.started", "logical downloads started",
                DownloadTracker::startedDownloads);
        counter(registry, "smprotocol.tracking.downloads.completed", "logical downloads completed",
                DownloadTracker::completedDownloads);
        counter(registry, "smprotocol.tracking.downloads.stopped", "logical downloads ended incomplete",
                DownloadTracker::stoppedDownloads);
        Gauge.builder("smprotocol.tracking.pending", CURRENT, read(DownloadTracker::pending))
                .description("tracking records waiting for MongoDB").register(registry);
        Gauge.builder("smprotocol.tracking.journal.size", CURRENT, read(DownloadTracker::journalSize))
                .description("the tracking journal's size on disk").baseUnit("bytes").register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<DownloadTracker> count) {
        FunctionCounter.builder(name, CURRENT, read(count)).description(description).register(registry);
    }

    private static ToDoubleFunction<AtomicReference<DownloadTracker>> read(ToDoubleFunction<DownloadTracker> value) {
        return holder -> {
            DownloadTracker tracker = holder.get();
            return tracker == null ? 0 : value.applyAsDouble(tracker);
        };
    }
}
