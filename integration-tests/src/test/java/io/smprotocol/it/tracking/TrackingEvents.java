package io.smprotocol.it.tracking;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.smprotocol.download.DownloadCompleted;
import io.smprotocol.download.DownloadStarted;
import io.smprotocol.download.DownloadStopped;

/** Records the tracking events and the thread each was delivered on. */
@Singleton
public class TrackingEvents {

    public record Seen(Object event, String thread) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    void started(@Observes DownloadStarted event) {
        seen.add(new Seen(event, Thread.currentThread().getName()));
    }

    void completed(@Observes DownloadCompleted event) {
        seen.add(new Seen(event, Thread.currentThread().getName()));
    }

    void stopped(@Observes DownloadStopped event) {
        seen.add(new Seen(event, Thread.currentThread().getName()));
    }

    public List<Seen> of(Class<?> type, String downloadId) {
        return seen.stream().filter(s -> type.isInstance(s.event())).filter(s -> downloadId.equals(id(s.event())))
                .toList();
    }

    private static String id(Object event) {
        if (event instanceof DownloadStarted e) {
            return e.download().id();
        }
        if (event instanceof DownloadCompleted e) {
            return e.download().id();
        }
        return ((DownloadStopped) event).download().id();
    }
}
