package io.smprotocol.downloads.runtime.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadProgress;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.tracking.Coverage;

/**
 * The responses in flight, for the dashboard's live list, each with the coverage of its logical download: what the
 * download's requests delivered in this process, ended ones and those in flight. It sees the download listener through
 * the public observer SPI only ({@link DownloadObserver} and {@link DownloadProgress}), never tracking's state, so the
 * way tracking groups and records downloads can change without touching it; the ranges it keeps are tracking's value
 * type, {@link Coverage}. Each row names its logical download, whose record (the client address as stored there, and
 * what the download covered before this process, or on another replica) the page reads from the stats API.
 */
@Singleton
public class LiveDownloads implements DownloadObserver {

    /** A rate is measured over at least this long, so that one burst of a socket buffer does not read as the rate. */
    private static final long RATE_WINDOW_NANOS = 500_000_000L;
    private static final long EVICTION_NANOS = 1_000_000_000L;

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
     * @param covered the distinct bytes of the file the download's requests delivered in this process
     * @param coverage those bytes as merged, sorted ranges
     */
    public record InFlight(long request, String download, String path, long size, long first, long length, long sent,
            long position, long bytesPerSecond, Instant startedAt, long covered, List<ByteRange> coverage) {
    }

    private final Instance<DownloadProgress> progress;
    /** How long a download's delivered ranges are kept once none of its requests is in flight: its session window. */
    private final long keepNanos;
    private final Map<Long, Flight> flights = new ConcurrentHashMap<>();
    /** What the ended requests of each download delivered, while it may still be resumed. */
    private final Map<String, Delivered> delivered = new ConcurrentHashMap<>();
    /** When downloads nobody resumed last left {@link #delivered}, whether or not a page is watching. */
    private volatile long lastEviction = System.nanoTime();

    public LiveDownloads(Instance<DownloadProgress> progress, DownloadsConfig config) {
        this.progress = progress;
        this.keepNanos = config.download().sessionWindow().toNanos();
    }

    @Override
    public void requested(DownloadRequest request) {
        if (request.file() != null && request.contentLength() > 0 && "GET".equals(request.method())) {
            long now = System.nanoTime();
            flights.put(request.id(), new Flight(request, now));
            delivered.computeIfAbsent(key(request), id -> new Delivered()).touch(now);
        }
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        // delivered before the flight leaves: a snapshot in between counts its bytes (once), never loses them
        Delivered known = delivered.get(key(request));
        if (known != null && flights.containsKey(request.id())) {
            known.add(request, end.bytesWritten(), System.nanoTime());
        }
        flights.remove(request.id());
        long now = System.nanoTime();
        if (now - lastEviction >= EVICTION_NANOS) {
            lastEviction = now;
            Set<String> live = new HashSet<>();
            flights.values().forEach(flight -> live.add(key(flight.request)));
            evict(live, now);
        }
    }

    /** Forgets the downloads with nothing in flight and no request within their session window. */
    private void evict(Set<String> live, long now) {
        delivered.entrySet().removeIf(e -> !live.contains(e.getKey()) && e.getValue().idleFor(now) > keepNanos);
    }

    /** A download's key; a request without a download id (tracking off) is a download of its own. */
    private static String key(DownloadRequest request) {
        return request.downloadId() != null ? request.downloadId() : "request-" + request.id();
    }

    /** @return the responses in flight, oldest first; callable from any thread */
    public List<InFlight> snapshot() {
        DownloadProgress source = progress.isResolvable() ? progress.get() : null;
        long now = System.nanoTime();
        Map<Long, Long> sent = new HashMap<>();
        Map<String, Coverage> coverages = new HashMap<>();
        for (Flight flight : flights.values()) {
            long bytes = source == null ? 0 : Math.max(0, source.progress(flight.request.id()));
            sent.put(flight.request.id(), bytes);
            Coverage coverage = coverages.computeIfAbsent(key(flight.request), id -> {
                Delivered known = delivered.get(id);
                return known == null ? new Coverage() : known.copy();
            });
            addPrefix(coverage, flight.request, bytes);
        }
        List<InFlight> rows = new ArrayList<>(flights.size());
        for (Flight flight : flights.values()) {
            Long bytes = sent.get(flight.request.id());
            Coverage coverage = coverages.get(key(flight.request));
            if (bytes != null && coverage != null) {
                rows.add(flight.row(bytes, now, coverage));
            }
        }
        rows.sort(Comparator.comparing(InFlight::startedAt).thenComparingLong(InFlight::request));
        evict(coverages.keySet(), now);
        return rows;
    }

    /** Adds the first {@code bytes} of the request's ranges, in order: what a connection that took that many got. */
    static void addPrefix(Coverage coverage, DownloadRequest request, long bytes) {
        List<ByteRange> ranges = request.ranges();
        if (ranges.isEmpty()) {
            coverage.add(0, Math.min(request.file().size(), bytes) - 1);
            return;
        }
        long left = bytes;
        for (ByteRange range : ranges) {
            if (left <= 0) {
                return;
            }
            long taken = Math.min(left, range.last() - range.first() + 1);
            coverage.add(range.first(), range.first() + taken - 1);
            left -= taken;
        }
    }

    private static List<ByteRange> ranges(Coverage coverage) {
        return coverage.intervals().stream().map(i -> new ByteRange(i.first(), i.last())).toList();
    }

    /** The ranges one download's ended requests delivered; their requests end on event loops, the page reads. */
    private static final class Delivered {
        private final Coverage coverage = new Coverage();
        private long lastNanos;

        synchronized void touch(long now) {
            lastNanos = now;
        }

        synchronized void add(DownloadRequest request, long bytes, long now) {
            addPrefix(coverage, request, bytes);
            lastNanos = now;
        }

        synchronized Coverage copy() {
            return coverage.copy();
        }

        synchronized long idleFor(long now) {
            return now - lastNanos;
        }
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

        synchronized InFlight row(long sent, long now, Coverage coverage) {
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
                    request.contentLength(), sent, Math.min(size, first + sent), rate, request.startedAt(),
                    coverage.covered(), ranges(coverage));
        }
    }
}
