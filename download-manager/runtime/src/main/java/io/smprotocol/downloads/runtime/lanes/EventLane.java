package io.smprotocol.downloads.runtime.lanes;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;

/**
 * The one way the download manager fires the application's CDI events (the listener's {@code DownloadRequested} and
 * {@code DownloadEnded}, tracking's {@code DownloadStarted}, {@code DownloadCompleted} and {@code DownloadStopped}):
 * on a Vert.x worker thread, never on an event loop nor on the tracker's thread, one event after the other in the
 * order they were handed over, whoever handed them. Synchronous observers ({@code @Observes}) therefore see a
 * request's end after its start, and a download's completion after its start; asynchronous ones
 * ({@code @ObservesAsync}) are handed their event in that order too (CDI then runs them as it likes).
 * <p>
 * Nobody waits on an observer: the lane gathers for a millisecond before it wakes a worker, so that under load one
 * worker turn carries many events.
 */
@Singleton
public class EventLane {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");

    private final WorkerLane lane;

    @Inject
    public EventLane(Vertx vertx) {
        this.lane = new WorkerLane(vertx, "a download event observer", 1);
    }

    /**
     * @param event the CDI event to fire
     * @param payload what it carries
     * @param sync whether to call the synchronous observers
     * @param async whether to hand it to the asynchronous ones
     */
    public <T> void fire(Event<T> event, T payload, boolean sync, boolean async) {
        if (!sync && !async) {
            return;
        }
        lane.submit(() -> {
            try {
                if (async) {
                    event.fireAsync(payload);
                }
                if (sync) {
                    event.fire(payload);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "a download event observer failed on %s", payload.getClass().getSimpleName());
            }
        });
    }

    /** Runs a task in the lane, after the events handed over before it. */
    public void submit(Runnable task) {
        lane.submit(task);
    }
}
