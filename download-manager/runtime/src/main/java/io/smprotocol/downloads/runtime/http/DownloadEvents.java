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
import io.smprotocol.downloads.runtime.lanes.EventLane;

/**
 * Turns what the download listener observes into the application's CDI events {@link DownloadRequested} and
 * {@link DownloadEnded}, without ever running an application observer on an event loop: synchronous
 * ({@code @Observes}) observers are called on a worker thread, asynchronous ones ({@code @ObservesAsync}) through
 * {@code fireAsync}, both through the {@link EventLane} that fires every download event in order: a request's end is
 * fired only after its start was delivered. When the application observes neither event, nothing is dispatched at
 * all.
 */
@Singleton
public class DownloadEvents implements DownloadObserver {

    private final Event<DownloadRequested> requestedEvent;
    private final Event<DownloadEnded> endedEvent;
    private final boolean requestedSync;
    private final boolean requestedAsync;
    private final boolean endedSync;
    private final boolean endedAsync;
    private final EventLane lane;

    @Inject
    public DownloadEvents(EventLane lane, Event<DownloadRequested> requestedEvent, Event<DownloadEnded> endedEvent,
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
        this.lane = lane;
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
        lane.fire(requestedEvent, event, requestedSync, requestedAsync);
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        if (!endedSync && !endedAsync) {
            return;
        }
        DownloadEnded event = new DownloadEnded(request.id(), request.downloadId(), request.path(),
                request.client().ip(), request.status(), end.reason(), end.bytesWritten(), request.contentLength(),
                end.duration());
        // behind the start in the lane: an observer never sees a request end before it started
        lane.fire(endedEvent, event, endedSync, endedAsync);
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
