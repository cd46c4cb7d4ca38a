package io.smprotocol.it.download;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEnded;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.download.DownloadRequested;

/**
 * Records what the download observer SPI and the CDI events report, with the thread each ran on.
 */
@Singleton
public class RecordingObserver implements DownloadObserver {

    /** A request and, once over, its end. */
    public record Seen(DownloadRequest request, DownloadEnd end, String requestThread, String endThread) {
    }

    /** A CDI event and the thread it was delivered on. */
    public record Event(Object event, String thread) {
    }

    private final List<Seen> started = new CopyOnWriteArrayList<>();
    private final List<Seen> finished = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void requested(DownloadRequest request) {
        started.add(new Seen(request, null, Thread.currentThread().getName(), null));
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        String requestThread = started.stream().filter(s -> s.request() == request).map(Seen::requestThread)
                .findFirst().orElse(null);
        finished.add(new Seen(request, end, requestThread, Thread.currentThread().getName()));
    }

    void onRequested(@Observes DownloadRequested event) {
        events.add(new Event(event, Thread.currentThread().getName()));
    }

    void onEnded(@Observes DownloadEnded event) {
        events.add(new Event(event, Thread.currentThread().getName()));
    }

    /** @return the ended requests for this path, oldest first */
    public List<Seen> ended(String path) {
        return finished.stream().filter(s -> path.equals(s.request().path())).toList();
    }

    public Optional<Seen> lastEnded(String path) {
        List<Seen> all = ended(path);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** @return the requests that started (requested) for this path */
    public List<DownloadRequest> started(String path) {
        return started.stream().map(Seen::request).filter(r -> path.equals(r.path())).toList();
    }

    public List<Event> events() {
        return List.copyOf(events);
    }
}
