package io.smprotocol.downloads.runtime.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadRequest;

/**
 * The logical-download state machine: what requests, their progress and their ends, the passing of time, a shutdown
 * and a restart do to the downloads they belong to. No thread, no clock, no I/O: every input carries its time, and
 * every outcome goes to an {@link Outcomes} (the tracker journals it and fires the events; a test records it).
 * <p>
 * Requests are grouped by the download id they carry ({@link DownloadRequest#downloadId()}), which the listener's
 * session store gave them; this class never groups by client itself. A download:
 * <ul>
 * <li>starts with the first request of an id it does not know;</li>
 * <li>completes as soon as its coverage is the whole file, and is closed {@code COMPLETED} once no request of it is
 * in flight;</li>
 * <li>ends incomplete once no request came for a whole session window after its last activity, with
 * {@link TrackedDownload#idleReason()};</li>
 * <li>at shutdown, ends {@code SERVER_SHUTDOWN} when a request of it was cut by the shutdown, else with its own
 * reason;</li>
 * <li>at the next start after the process died, ends {@code INTERRUPTED} when a request of it was in flight; one
 * without a request in flight goes on waiting for the client as it did;</li>
 * <li>goes on, closed or not, when a request of its id comes within the window of its last activity: a client that
 * resumes after a restart, a crash or a completed download continues the same record. After a crash, where the client
 * resumes tells what the interrupted request delivered after its last journaled progress
 * ({@link TrackedDownload#resumedAt(long)}).</li>
 * </ul>
 */
final class LogicalDownloads {

    /** Where the state machine's outcomes go. */
    interface Outcomes {
        /** The download's state changed: its record must be written. */
        void changed(TrackedDownload download);

        /** A download started. */
        void started(TrackedDownload download);

        /** A download's coverage reached the whole file (once per download). */
        void completed(TrackedDownload download);

        /** A download ended incomplete. */
        void stopped(TrackedDownload download, DownloadEndReason reason);

        /** A request that is no download, to record. */
        void request(RequestRecord record);
    }

    private static final int FORGOTTEN = 10_000;

    private final String partKey;
    private final String node;
    private final Duration window;
    private final int maxRequests;
    private final Consumer<Download.Client> describe;
    private final Function<DownloadRequest, String> currentId;
    private final Outcomes out;

    /** Every download this node knows: in progress, or ended less than two windows ago (it may be resumed). */
    private final Map<String, TrackedDownload> downloads = new LinkedHashMap<>();
    private final Map<Long, TrackedDownload> byRequest = new HashMap<>();
    /** Ids of downloads forgotten: a request still carrying one (a stale shared id) starts a record of its own. */
    private final Map<String, Boolean> forgotten = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > FORGOTTEN;
        }
    };

    /**
     * @param partKey this run's part of the records it starts
     * @param node the node's name
     * @param window the session window
     * @param maxRequests the bound of a record's request list
     * @param describe adds what is known of a client's address (geo, network)
     * @param currentId the download id a client has for a file now, if any, for requests that are no downloads
     * @param out where the outcomes go
     */
    LogicalDownloads(String partKey, String node, Duration window, int maxRequests, Consumer<Download.Client> describe,
            Function<DownloadRequest, String> currentId, Outcomes out) {
        this.partKey = partKey;
        this.node = node;
        this.window = window;
        this.maxRequests = maxRequests;
        this.describe = describe;
        this.currentId = currentId;
        this.out = out;
    }

    static boolean isDownload(DownloadRequest request) {
        return "GET".equals(request.method()) && request.file() != null
                && (request.status() == 200 || request.status() == 206) && request.downloadId() != null;
    }

    /**
     * A record this node journaled before the process stopped, read back at start.
     *
     * @param record the latest state journaled (a single part, this node's in that run)
     * @param now the time of the start
     * @return the download, when it may still be resumed; {@code null} when it is over for good
     */
    TrackedDownload recovered(Download record, Instant now) {
        if (record.parts == null || record.parts.isEmpty()) {
            return null;
        }
        String key = record.parts.keySet().iterator().next();
        TrackedDownload download = TrackedDownload.from(record, key, maxRequests);
        if (download.open()) {
            if (TrackedDownload.hadRequestsInFlight(record, key)) {
                download.close(download.completed() ? DownloadEndReason.COMPLETED : DownloadEndReason.INTERRUPTED);
                out.changed(download);
                if (download.endReason == DownloadEndReason.INTERRUPTED) {
                    out.stopped(download, DownloadEndReason.INTERRUPTED);
                }
            } else if (download.completed() || idleFor(download, now, window)) {
                end(download, download.idleReason());
            }
            // else: it waits for its client as it did before the process stopped
        }
        if (idleFor(download, now, window.multipliedBy(2))) {
            forgotten.put(download.id, Boolean.TRUE);
            return null;
        }
        downloads.put(download.id, download);
        return download;
    }

    /** A request's answer is decided. */
    void requested(DownloadRequest request) {
        if (!isDownload(request)) {
            return;
        }
        String id = request.downloadId();
        TrackedDownload download = downloads.get(id);
        boolean fresh = download == null;
        if (fresh) {
            download = new TrackedDownload(forgotten.containsKey(id) ? UUID.randomUUID().toString() : id, partKey,
                    node, new Download.FileRef(request.file().path(), request.file().size(), request.file().etag()),
                    client(request), request.startedAt(), maxRequests);
            downloads.put(id, download);
        } else if (!download.open()) {
            download.reopen();
        }
        if (!download.unsent.isEmpty() && !request.ranges().isEmpty()) {
            download.resumedAt(request.ranges().get(0).first());
        }
        Download.RequestEntry entry = new Download.RequestEntry();
        entry.key = partKey + ":" + request.id();
        StringBuilder text = new StringBuilder();
        List<Coverage.Interval> ranges = new ArrayList<>(request.ranges().size());
        for (ByteRange range : request.ranges()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(range.first()).append('-').append(range.last());
            ranges.add(new Coverage.Interval(range.first(), range.last()));
        }
        entry.range = text.toString();
        entry.status = request.status();
        entry.start = request.startedAt();
        download.inFlight.put(request.id(), new TrackedDownload.InFlight(entry, ranges, 0));
        download.activity(request.startedAt());
        download.version++;
        byRequest.put(request.id(), download);
        out.changed(download);
        if (fresh) {
            out.started(download);
        }
    }

    private Download.Client client(DownloadRequest request) {
        Download.Client client = new Download.Client();
        client.ip = request.client().ip();
        client.port = request.client().port();
        client.peerIp = request.client().peerIp();
        client.forwarded = request.client().forwarded();
        client.userAgent = request.userAgent();
        describe.accept(client);
        return client;
    }

    /**
     * The body of a request in flight went on.
     *
     * @param bytes the file bytes its connection accepted so far
     * @param now when
     */
    void progressed(DownloadRequest request, long bytes, Instant now) {
        TrackedDownload download = byRequest.get(request.id());
        if (download == null) {
            return;
        }
        TrackedDownload.InFlight flight = download.inFlight.get(request.id());
        if (flight == null || bytes <= flight.progress()) {
            return;
        }
        download.inFlight.put(request.id(), new TrackedDownload.InFlight(flight.entry(), flight.ranges(), bytes));
        download.activity(now);
        download.version++;
        out.changed(download);
    }

    /** A request is over. */
    void ended(DownloadRequest request, DownloadEnd end) {
        TrackedDownload download = byRequest.remove(request.id());
        if (download == null) {
            if (!isDownload(request)) {
                request(request, end);
            }
            return;
        }
        TrackedDownload.InFlight flight = download.inFlight.remove(request.id());
        endRequest(download, flight, end.bytesWritten(), end.endedAt(), end.reason());
    }

    private void endRequest(TrackedDownload download, TrackedDownload.InFlight flight, long bytes, Instant at,
            DownloadEndReason reason) {
        Download.RequestEntry entry = flight.entry();
        entry.bytes = bytes;
        entry.end = at;
        entry.reason = reason;
        boolean wasComplete = download.completed();
        download.requestEnded(entry, TrackedDownload.delivered(flight.ranges(), bytes));
        if (download.completed() && download.inFlight.isEmpty() && download.open()) {
            download.close(DownloadEndReason.COMPLETED);
        }
        out.changed(download);
        if (!wasComplete && download.completed()) {
            out.completed(download);
        }
    }

    private void request(DownloadRequest request, DownloadEnd end) {
        RequestRecord record = new RequestRecord();
        record.id = partKey + ":" + request.id();
        record.at = request.startedAt();
        record.method = request.method();
        record.path = request.path();
        record.status = request.status();
        record.reason = end.reason();
        record.clientIp = request.client().ip();
        record.userAgent = request.userAgent();
        record.node = node;
        String id = request.file() == null ? null : currentId.apply(request);
        TrackedDownload download = id == null ? null : downloads.get(id);
        if (download != null) {
            record.downloadId = download.id;
            if (request.status() >= 400 && request.status() != 404 && request.status() != 416 && download.open()
                    && download.inFlight.isEmpty()) {
                download.refusedLast = true;
                download.version++;
                out.changed(download);
            }
        }
        out.request(record);
    }

    /** The passing of time: downloads nobody resumed for a window end; long-ended ones are forgotten. */
    void tick(Instant now) {
        List<TrackedDownload> idle = new ArrayList<>();
        List<TrackedDownload> old = new ArrayList<>();
        for (TrackedDownload download : downloads.values()) {
            if (download.open() && download.inFlight.isEmpty() && idleFor(download, now, window)) {
                idle.add(download);
            } else if (!download.open() && idleFor(download, now, window.multipliedBy(2))) {
                old.add(download);
            }
        }
        idle.forEach(download -> end(download, download.idleReason()));
        for (TrackedDownload download : old) {
            downloads.values().remove(download);
            forgotten.put(download.id, Boolean.TRUE);
        }
    }

    /**
     * The application shuts down, after its listener stopped: every download in progress ends, {@code SERVER_SHUTDOWN}
     * when the shutdown cut a request of it, else with its own reason. Requests still in flight (a listener that
     * could not stop) end with what they delivered.
     *
     * @param now when
     */
    void shutdown(Instant now) {
        for (TrackedDownload download : new ArrayList<>(downloads.values())) {
            if (!download.open()) {
                continue;
            }
            boolean cut = !download.inFlight.isEmpty() || download.lastReason == DownloadEndReason.SERVER_SHUTDOWN;
            for (Map.Entry<Long, TrackedDownload.InFlight> flight : new ArrayList<>(download.inFlight.entrySet())) {
                download.inFlight.remove(flight.getKey());
                byRequest.remove(flight.getKey());
                endRequest(download, flight.getValue(), flight.getValue().progress(), now,
                        DownloadEndReason.SERVER_SHUTDOWN);
            }
            if (download.open()) {
                end(download, download.completed() ? DownloadEndReason.COMPLETED
                        : cut ? DownloadEndReason.SERVER_SHUTDOWN : download.idleReason());
            }
        }
    }

    private void end(TrackedDownload download, DownloadEndReason reason) {
        download.close(reason);
        out.changed(download);
        if (reason != DownloadEndReason.COMPLETED) {
            out.stopped(download, reason);
        }
    }

    private static boolean idleFor(TrackedDownload download, Instant now, Duration time) {
        return download.inFlight.isEmpty() && download.lastActivity != null
                && Duration.between(download.lastActivity, now).compareTo(time) > 0;
    }

    /** @return every download known: in progress, or ended recently enough to be resumed */
    Collection<TrackedDownload> known() {
        return downloads.values();
    }

    /** @return the download of that id, or {@code null} */
    TrackedDownload get(String id) {
        return downloads.get(id);
    }
}
