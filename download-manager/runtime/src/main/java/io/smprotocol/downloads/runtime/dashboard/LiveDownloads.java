package io.smprotocol.downloads.runtime.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadProgress;
import io.smprotocol.download.DownloadRequest;

/**
 * The responses in flight, for the dashboard's live list. It sees the download listener through the public observer
 * SPI only ({@link DownloadObserver} and {@link DownloadProgress}), never tracking's internals, so the way tracking
 * groups and records downloads can change without touching it. Each row names its logical download, whose record (and
 * the client address as stored there) the page reads from the stats API.
 */
@Singleton
public class LiveDownloads implements DownloadObserver {

    /** A rate is measured over at least this long, so that one burst of a socket buffer does not read as the rate. */
    private static final long RATE_WINDOW_NANOS = 500_000_000L;

    /**
     * One response in flight.
     *
     * @param request the request's id
     * @param download the logical download's id, the key of its record in the stats API
     * @param path the file's request path
     * @param size the file's size
     * @param first where in the file the response starts
     * @param length the file bytes the response holds
     * @param sent the file bytes the client's connection took so far
     * @param position how far into the file the client got, {@code first + sent}
     * @param bytesPerSecond the rate over the last half second or more
     * @param startedAt when the request arrived
     */
    public record InFlight(long request, String download, String path, long size, long first, long length, long sent,
            long position, long bytesPerSecond, Instant startedAt) {
    }

    private final Instance<DownloadProgress> progress;
    private final Map<Long, Flight> flights = new ConcurrentHashMap<>();

    public LiveDownloads(Instance<DownloadProgress> progress) {
        this.progress = progress;
    }

    @Override
    public void requested(DownloadRequest request) {
        if (request.file() != null && request.contentLength() > 0 && "GET".equals(request.method())) {
            flights.put(request.id(), new Flight(request, System.nanoTime()));
        }
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        flights.remove(request.id());
    }

    /** @return the responses in flight, oldest first; callable from any thread */
    public List<InFlight> snapshot() {
        DownloadProgress source = progress.isResolvable() ? progress.get() : null;
        long now = System.nanoTime();
        List<InFlight> rows = new ArrayList<>(flights.size());
        for (Flight flight : flights.values()) {
            long sent = source == null ? 0 : Math.max(0, source.progress(flight.request.id()));
            rows.add(flight.row(sent, now));
        }
        rows.sort(Comparator.comparing(InFlight::startedAt).thenComparingLong(InFlight::request));
        return rows;
    }

    private static final class Flight {
        final DownloadRequest request;
        private long sampleNanos;
        private long sampleBytes;
        private long rate;

        Flight(DownloadRequest request, long nanos) {
            this.request = request;
            this.sampleNanos = nanos;
        }

        synchronized InFlight row(long sent, long now) {
            long elapsed = now - sampleNanos;
            if (elapsed >= RATE_WINDOW_NANOS) {
                rate = (sent - sampleBytes) * 1_000_000_000L / elapsed;
                sampleNanos = now;
                sampleBytes = sent;
            }
            List<ByteRange> ranges = request.ranges();
            long first = ranges.isEmpty() ? 0 : ranges.get(0).first();
            long size = request.file().size();
            // several ranges in one response (multipart) have no single position: count them from the first one
            return new InFlight(request.id(), request.downloadId(), request.file().path(), size, first,
                    request.contentLength(), sent, Math.min(size, first + sent), rate, request.startedAt());
        }
    }
}
