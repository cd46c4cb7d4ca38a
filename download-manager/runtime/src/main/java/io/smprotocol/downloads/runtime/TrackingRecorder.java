package io.smprotocol.downloads.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** The longest the last flush at shutdown may hold the shutdown up. */
    private static final Duration LAST_FLUSH = Duration.ofSeconds(5);

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
            // every request's end is in the tracker's queue by now: the listener's stop waited for them
            tracker.stop();
            JournalFlusher flusher = Arc.container().instance(JournalFlusher.class).get();
            // a MongoDB that failed the last flush is not waited for, nor one that does not answer in time: the
            // journal, forced to disk by the tracker's stop, keeps the records for the next start
            if (tracker.pending() > 0 && (flusher.failing() || !lastFlush(flusher))) {
                LOG.infof("%d tracking record(s) stay in the journal and are written at the next start",
                        tracker.pending());
            }
        });
    }

    /** @return whether MongoDB took every pending record within {@link #LAST_FLUSH} */
    private static boolean lastFlush(JournalFlusher flusher) {
        CompletableFuture<Boolean> flushed = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                flushed.complete(flusher.flush());
            } catch (RuntimeException e) {
                flushed.complete(false);
            }
        }, "smprotocol-tracking-last-flush");
        thread.setDaemon(true);
        thread.start();
        try {
            return flushed.get(LAST_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
