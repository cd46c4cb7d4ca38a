package io.smprotocol.downloads.runtime;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.metrics.TrackingMeters;
import io.smprotocol.downloads.runtime.tracking.DownloadTracker;
import io.smprotocol.downloads.runtime.tracking.GeoLookup;
import io.smprotocol.downloads.runtime.tracking.JournalFlusher;
import io.smprotocol.downloads.runtime.tracking.embedded.EmbeddedMongo;

/**
 * Starts download tracking at run time, before the download listener, and stops it after the listener, with a last
 * attempt to write what is pending to MongoDB; the embedded MongoDB stops last.
 */
@Recorder
public class TrackingRecorder {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");

    /**
     * @param shutdown where to register the stops
     * @param micrometer whether the application has Micrometer, to report tracking in
     */
    public void start(ShutdownContext shutdown, boolean micrometer) {
        shutdown.addLastShutdownTask(EmbeddedMongo::stop);
        DownloadsConfig config = Arc.container().instance(DownloadsConfig.class).get();
        if (!config.trackingActive()) {
            LOG.info(config.tracking().enabled() ? "Download tracking is off: the download listener is disabled"
                    : "Download tracking is disabled by configuration");
            return;
        }
        // reading the databases now fails the start on a bad one
        Arc.container().instance(GeoLookup.class).get();
        DownloadTracker tracker = Arc.container().instance(DownloadTracker.class).get();
        tracker.start();
        if (micrometer) {
            TrackingMeters.register(tracker);
        }
        // registered before the listener's stop: shutdown tasks run in reverse order, so this runs after it
        shutdown.addShutdownTask(() -> {
            tracker.stop();
            JournalFlusher flusher = Arc.container().instance(JournalFlusher.class).get();
            // a MongoDB that failed the last flush is not waited for: the journal keeps the records
            if (tracker.pending() > 0 && (flusher.failing() || !flusher.flush())) {
                LOG.infof("%d tracking record(s) stay in the journal and are written at the next start",
                        tracker.pending());
            }
        });
    }
}
