package io.smprotocol.downloads.runtime.http;

import java.util.List;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEnded;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.download.DownloadRequested;
import io.vertx.core.Vertx;

/**
 * Turns what the download listener observes into the application's CDI events {@link DownloadRequested} and
 * {@link DownloadEnded}, without ever running an application observer on an event loop: synchronous
 * ({@code @Observes}) observers are called on a worker thread, asynchronous ones ({@code @ObservesAsync}) through
 * {@code fireAsync}. A request's end is fired only after its start was delivered. When the application observes
 * neither event, nothing is dispatched at all.
 */
@Singleton
public class DownloadEvents implements DownloadObserver {

    private final Event<DownloadRequested> requestedEvent;
    private final Event<DownloadEnded> endedEvent;
    private final boolean requestedSync;
    private final boolean requestedAsync;
    private final boolean endedSync;
    private final boolean endedAsync;
    /** Synchronous observers are called here, one event at a time, in order. */
    private final WorkerLane lane;

    @Inject
    public DownloadEvents(Vertx vertx, Event<DownloadRequested> requestedEvent, Event<DownloadEnded> endedEvent,
            BeanManager beanManager) {
        this.requestedEvent = requestedEvent;
        this.endedEvent = endedEvent;
        var requested = beanManager.resolveObserverMethods(new DownloadRequested(0, null, null, null, null, null, 0,
                null, 0, null, 0, List.of(), 0));
        var ended = beanManager.resolveObserverMethods(new DownloadEnded(0, null, null, null, 0, null, 0, 0, null));
        this.requestedSync = requested.stream().anyMatch(o -> !o.isAsync());
        this.requestedAsync = requested.stream().anyMatch(ObserverMethod::isAsync);
        this.endedSync = ended.stream().anyMatch(o -> !o.isAsync());
        this.endedAsync = ended.stream().anyMatch(ObserverMethod::isAsync);
        // nobody waits on an observer: a millisecond's gathering spares a thread wake-up per event under load
        this.lane = new WorkerLane(vertx, "a download event observer", 1);
    }

    @Override
    public void requested(DownloadRequest request) {
        if (!requestedSync && !requestedAsync && !endedSync && !endedAsync) {
            return;
        }
        DownloadRequested event = new DownloadRequested(request.id(), request.downloadId(), request.startedAt(),
                request.method(), request.path(), request.client().ip(), request.client().port(),
                request.userAgent(), request.file() == null ? -1 : request.file().size(),
                request.file() == null ? null : request.file().etag(), request.status(),
                ranges(request.ranges()), request.contentLength());
        if (requestedAsync) {
            requestedEvent.fireAsync(event);
        }
        if (requestedSync) {
            lane.submit(() -> requestedEvent.fire(event));
        }
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        if (!endedSync && !endedAsync) {
            return;
        }
        DownloadEnded event = new DownloadEnded(request.id(), request.downloadId(), request.path(),
                request.client().ip(), request.status(), end.reason(), end.bytesWritten(), request.contentLength(),
                end.duration());
        if (!requestedSync && !endedSync) {
            endedEvent.fireAsync(event);
            return;
        }
        // behind the start's delivery in the lane: an observer never sees a request end before it started
        lane.submit(() -> {
            if (endedAsync) {
                endedEvent.fireAsync(event);
            }
            if (endedSync) {
                endedEvent.fire(event);
            }
        });
    }

    /** The ranges as the event shows them; a loop, not a stream: this runs for every request. */
    private static List<DownloadRequested.Range> ranges(List<ByteRange> ranges) {
        DownloadRequested.Range[] shown = new DownloadRequested.Range[ranges.size()];
        for (int i = 0; i < shown.length; i++) {
            shown[i] = new DownloadRequested.Range(ranges.get(i).first(), ranges.get(i).last());
        }
        return List.of(shown);
    }
}
