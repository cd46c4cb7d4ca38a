package io.smprotocol.downloads.runtime.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadCompleted;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadProgress;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.download.DownloadStarted;
import io.smprotocol.download.DownloadStopped;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.config.TrackingConfig;
import io.vertx.core.Vertx;

/**
 * Download tracking: turns the requests the download listener answers into logical downloads and their records.
 * <p>
 * <b>The logical download.</b> Requests of one client (address and user agent) for one file version (ETag) within
 * the session window share a download id ({@code DownloadSessions}, in memcached when configured). The download's
 * coverage is the union of the byte ranges its requests delivered ({@link Coverage}); it is complete when that covers
 * the file, whatever the number of connections, pauses and resumes. A request that ends short (a segmented client
 * dropping its first plain GET, a paused browser) only adds what it delivered. A download ends:
 * <ul>
 * <li>{@code COMPLETED} as soon as its coverage is the whole file (the record is closed once its last request in
 * flight ended);</li>
 * <li>otherwise when nobody resumed it for a whole session window after its last request: with that request's reason
 * ({@code CLIENT_ABORTED}, {@code IDLE_TIMEOUT}, {@code SERVER_RESTART}, {@code ERROR}), {@code REJECTED} when the
 * client's last try was refused, {@code CLIENT_ABORTED} when every request got what it asked but the client never
 * asked for the rest;</li>
 * <li>at shutdown, {@code SERVER_SHUTDOWN} when requests were in flight;</li>
 * <li>{@code INTERRUPTED} at the next start when the process died, with what was delivered up to then.</li>
 * </ul>
 * HEAD, 304, 404, 416 and refused requests are recorded as {@link RequestRecord}s and never count as downloads.
 * <p>
 * <b>Never in a download's way.</b> The observer callbacks run on event loops: they only put a task in the tracker's
 * queue (never blocking). One thread of the tracker's own runs the state machine, the geo lookups and the journal
 * writes; MongoDB is written by the {@link JournalFlusher} from the scheduler's thread.
 */
@Singleton
public class DownloadTracker implements DownloadObserver {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");
    private static final int RECENTLY_CLOSED = 10_000;
    /**
     * The shortest time between two journal entries of one download. A client fetching one small file over and over
     * (a poller, a benchmark) changes its download on every request; writing every change would make the tracker
     * serialise the same record thousands of times a second. Changes within this time are written together, once it
     * has passed: the journal still holds every download from its first request, and its state at most this old.
     */
    private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How long the tracker's thread rests after it emptied its queue before it lets the listener wake it again: the
     * events of a busy listener gather meanwhile and are taken in one round, rather than each waking the thread (a
     * wake-up costs more than handling the event).
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final TrackingConfig config;
    private final Duration window;
    private final GeoLookup geo;
    private final Vertx vertx;
    private final Event<DownloadStarted> startedEvent;
    private final Event<DownloadCompleted> completedEvent;
    private final Event<DownloadStopped> stoppedEvent;
    private final Instance<DownloadProgress> server;
    private final String node;
    private final String partKey;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Set while the tracker's thread waits for work with nothing gathered: the next event must wake it. */
    private volatile boolean sleeping;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile Thread thread;
    private TrackingJournal journal;

    // confined to the tracker's thread
    /** The latest download of each client key, until a window after its last activity. */
    private final Map<ClientKey, TrackedDownload> byClient = new HashMap<>();
    private final Map<String, TrackedDownload> open = new LinkedHashMap<>();
    private final Map<Long, TrackedDownload> byRequest = new HashMap<>();
    private final Map<String, Boolean> recentlyClosed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENTLY_CLOSED;
        }
    };
    private long lastSync = System.nanoTime();
    /** Downloads changed since their last journal entry, waiting for {@link #COALESCE_NANOS} to pass. */
    private final Map<String, TrackedDownload> unwritten = new LinkedHashMap<>();
    private long unwrittenSince;

    // shared with the flusher
    private final Map<String, Download> pendingDownloads = new ConcurrentHashMap<>();
    private final Map<String, RequestRecord> pendingRequests = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong stopped = new AtomicLong();

    @Inject
    public DownloadTracker(DownloadsConfig config, GeoLookup geo, Vertx vertx, Event<DownloadStarted> startedEvent,
            Event<DownloadCompleted> completedEvent, Event<DownloadStopped> stoppedEvent,
            Instance<DownloadProgress> server) {
        this.config = config.tracking();
        this.window = config.download().sessionWindow();
        this.geo = geo;
        this.vertx = vertx;
        this.startedEvent = startedEvent;
        this.completedEvent = completedEvent;
        this.stoppedEvent = stoppedEvent;
        this.server = server;
        this.node = config.nodeName().filter(n -> !n.isBlank()).orElseGet(DownloadTracker::hostName);
        this.partKey = node.replaceAll("[.$\\s]", "_") + "~"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "localhost";
    }

    /**
     * Opens the journal, records the downloads a dead process left in progress as {@code INTERRUPTED}, and starts the
     * tracker's thread. Called at start, before the download listener.
     */
    public synchronized void start() {
        if (running || !config.enabled()) {
            return;
        }
        journal = new TrackingJournal(Path.of(config.journalDir()), config.journalMaxSize().asLongValue());
        TrackingJournal.Replay replay = journal.open();
        recover(replay);
        running = true;
        stopping = false;
        thread = new Thread(this::loop, "smprotocol-tracker");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Tracking downloads as node %s; journal %s (%d bytes); %d records to write to MongoDB", node,
                journal.file(), journal.size(), pendingDownloads.size() + pendingRequests.size());
    }

    private void recover(TrackingJournal.Replay replay) {
        int interrupted = 0;
        for (Download record : replay.downloads().values()) {
            if (record.parts == null || record.parts.isEmpty()) {
                continue;
            }
            String key = record.parts.keySet().iterator().next();
            Download.Part part = record.parts.get(key);
            if (part.open) {
                TrackedDownload state = TrackedDownload.from(record, key, config.maxRequestsPerDownload());
                state.close(state.completed() ? DownloadEndReason.COMPLETED : DownloadEndReason.INTERRUPTED);
                Download closed = state.record();
                pendingDownloads.put(closed.id, closed);
                recentlyClosed.put(closed.id, Boolean.TRUE);
                if (closed.endReason == DownloadEndReason.INTERRUPTED) {
                    interrupted++;
                    LOG.infof("download %s of %s by %s was in progress when the process stopped: recorded as"
                            + " INTERRUPTED at %d of %d bytes", closed.id, closed.file.path, closed.client.ip,
                            closed.coveredBytes, closed.file.size);
                    stopped.incrementAndGet();
                    fire(stoppedEvent, new DownloadStopped(state.record().toValue(), state.endReason));
                }
            } else {
                Long acknowledged = replay.acknowledged().get(record.id);
                if (acknowledged == null || acknowledged < part.version) {
                    pendingDownloads.put(record.id, record);
                }
            }
        }
        pendingRequests.putAll(replay.requests());
        if (replay.unreadable() > 0) {
            LOG.infof("tracking journal: %d unreadable line(s) skipped (a write cut short by a crash)",
                    replay.unreadable());
        }
        if (interrupted > 0) {
            LOG.infof("%d download(s) recorded as INTERRUPTED", interrupted);
        }
        // start from a compact journal holding only what MongoDB still lacks
        journal.compact(liveEntries());
    }

    // ---- the observer SPI: on event loops, never blocking

    @Override
    public void requested(DownloadRequest request) {
        if (running && !stopping) {
            enqueue(() -> onRequested(request));
        }
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        if (running) {
            enqueue(() -> onEnded(request, end));
        }
    }

    /** Hands a task to the tracker's thread, waking it only when it sleeps with nothing to do. */
    private void enqueue(Runnable task) {
        queue.offer(task);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    // ---- the state machine, on the tracker's thread

    static boolean isDownload(DownloadRequest request) {
        return "GET".equals(request.method()) && request.file() != null
                && (request.status() == 200 || request.status() == 206) && request.downloadId() != null;
    }

    private void onRequested(DownloadRequest request) {
        if (!isDownload(request)) {
            return;
        }
        Instant now = request.startedAt();
        ClientKey key = ClientKey.of(request);
        TrackedDownload download = byClient.get(key);
        boolean fresh = false;
        if (download != null && !download.open() && !download.completed()) {
            // ended incomplete after a whole window without requests: a new request is a new download
            download = null;
        }
        if (download != null && download.inFlight.isEmpty() && download.lastActivity != null
                && Duration.between(download.lastActivity, now).compareTo(window) > 0) {
            download = null;
        }
        if (download == null) {
            String session = request.downloadId();
            String id = !recentlyClosed.containsKey(session) && !open.containsKey(session) ? session
                    : UUID.randomUUID().toString();
            Download.Client client = new Download.Client();
            client.ip = request.client().ip();
            client.port = request.client().port();
            client.peerIp = request.client().peerIp();
            client.forwarded = request.client().forwarded();
            client.userAgent = request.userAgent();
            geo.describe(client);
            download = new TrackedDownload(id, session, partKey, node,
                    new Download.FileRef(request.file().path(), request.file().size(), request.file().etag()), client,
                    request.startedAt(), config.maxRequestsPerDownload());
            download.clientKey = key;
            byClient.put(key, download);
            fresh = true;
        } else if (!download.open()) {
            // a completed download asked again within the window: the same logical download, reopened
            download.endReason = null;
            download.endedAt = null;
        }
        open.put(download.id, download);
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
        byRequest.put(request.id(), download);
        download.version++;
        Download record = publish(download);
        if (fresh) {
            started.incrementAndGet();
            fire(startedEvent, new DownloadStarted(record.toValue()));
        }
    }

    private void onEnded(DownloadRequest request, DownloadEnd end) {
        TrackedDownload download = byRequest.remove(request.id());
        if (download == null) {
            if (!isDownload(request)) {
                recordRequest(request, end, null);
            }
            return;
        }
        TrackedDownload.InFlight flight = download.inFlight.remove(request.id());
        Download.RequestEntry entry = flight.entry();
        entry.bytes = end.bytesWritten();
        entry.end = end.endedAt();
        entry.reason = end.reason();
        boolean wasComplete = download.completed();
        download.requestEnded(entry, TrackedDownload.delivered(flight.ranges(), end.bytesWritten()));
        boolean justCompleted = !wasComplete && download.completed();
        if (justCompleted) {
            completed.incrementAndGet();
        }
        Download record;
        if (download.completed() && download.inFlight.isEmpty()) {
            record = close(download, DownloadEndReason.COMPLETED);
        } else {
            record = publish(download);
        }
        if (justCompleted) {
            fire(completedEvent, new DownloadCompleted((record != null ? record : download.record()).toValue()));
        }
    }

    private void recordRequest(DownloadRequest request, DownloadEnd end, String downloadId) {
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
        record.downloadId = downloadId;
        for (TrackedDownload download : open.values()) {
            if (download.file.path.equals(request.path()) && download.client.ip.equals(request.client().ip())
                    && java.util.Objects.equals(download.client.userAgent, request.userAgent())) {
                record.downloadId = download.id;
                if (request.status() >= 400 && request.status() != 404 && request.status() != 416
                        && download.inFlight.isEmpty()) {
                    download.refusedLast = true;
                }
            }
        }
        pendingRequests.put(record.id, record);
        journal.append(JournalEntry.request(record));
    }

    private Download close(TrackedDownload download, DownloadEndReason reason) {
        download.close(reason);
        open.remove(download.id);
        // a completed download stays its client's for the window: a segmented client's late or repeated requests
        // are requests of it, not new downloads
        recentlyClosed.put(download.id, Boolean.TRUE);
        Download record = publish(download);
        if (reason != DownloadEndReason.COMPLETED) {
            stopped.incrementAndGet();
            fire(stoppedEvent, new DownloadStopped(download.record().toValue(), reason));
        }
        return record;
    }

    /**
     * Hands the download's new state to the journal and the flusher, now or, when its last entry is younger than
     * {@link #COALESCE_NANOS}, with the next {@link #writeUnwritten(boolean)}.
     *
     * @return the record written, or {@code null} when the write was put off
     */
    private Download publish(TrackedDownload download) {
        long now = System.nanoTime();
        if (download.lastWritten != 0 && now - download.lastWritten < COALESCE_NANOS) {
            if (unwritten.isEmpty()) {
                unwrittenSince = now;
            }
            unwritten.put(download.id, download);
            return null;
        }
        unwritten.remove(download.id);
        return write(download, now);
    }

    private Download write(TrackedDownload download, long now) {
        Download record = download.record();
        download.lastWritten = now;
        pendingDownloads.put(record.id, record);
        journal.append(JournalEntry.download(record));
        return record;
    }

    /** @param all whether to write every put-off state now, or only once they waited long enough */
    private void writeUnwritten(boolean all) {
        if (unwritten.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (!all && now - unwrittenSince < COALESCE_NANOS) {
            return;
        }
        for (TrackedDownload download : unwritten.values()) {
            write(download, now);
        }
        unwritten.clear();
    }

    /** Progress of responses in flight, downloads nobody resumed, the journal's upkeep. */
    private void tick() {
        Instant now = Instant.now();
        DownloadProgress listener = server.isResolvable() ? server.get() : null;
        List<TrackedDownload> idle = new ArrayList<>();
        for (TrackedDownload download : open.values()) {
            boolean moved = false;
            if (listener != null) {
                for (Map.Entry<Long, TrackedDownload.InFlight> flight : download.inFlight.entrySet()) {
                    long progress = listener.progress(flight.getKey());
                    if (progress > flight.getValue().progress()) {
                        flight.setValue(new TrackedDownload.InFlight(flight.getValue().entry(),
                                flight.getValue().ranges(), progress));
                        moved = true;
                    }
                }
            }
            if (moved) {
                download.lastActivity = now;
                download.version++;
                publish(download);
            } else if (download.inFlight.isEmpty() && !download.completed()
                    && Duration.between(download.lastActivity, now).compareTo(window) > 0) {
                idle.add(download);
            }
        }
        for (TrackedDownload download : idle) {
            close(download, download.idleReason());
        }
        // a client's closed download is forgotten a window after its last activity
        byClient.values().removeIf(download -> !download.open() && download.lastActivity != null
                && Duration.between(download.lastActivity, now).compareTo(window) > 0);
        writeUnwritten(true);
        journal.flush();
        if (System.nanoTime() - lastSync >= config.flushInterval().toNanos()) {
            journal.sync();
            lastSync = System.nanoTime();
        }
        if (journal.wantsCompaction()) {
            journal.compact(liveEntries());
        }
        journal.markFullIfOver();
    }

    /** @return what the journal must keep: downloads in progress or not acknowledged, requests not acknowledged */
    private Collection<JournalEntry> liveEntries() {
        Map<String, JournalEntry> live = new LinkedHashMap<>();
        for (Download record : pendingDownloads.values()) {
            live.put(record.id, JournalEntry.download(record));
        }
        for (TrackedDownload download : open.values()) {
            live.put(download.id, JournalEntry.download(download.record()));
        }
        List<JournalEntry> entries = new ArrayList<>(live.values());
        for (RequestRecord request : pendingRequests.values()) {
            entries.add(JournalEntry.request(request));
        }
        return entries;
    }

    private void loop() {
        long tickNanos = Math.max(100_000_000L, Math.min(1_000_000_000L, window.toNanos() / 4));
        long nextTick = System.nanoTime() + tickNanos;
        while (!Thread.currentThread().isInterrupted()) {
            Runnable task = queue.poll();
            if (task != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "download tracking failed on an event");
                }
                // a queue that never empties under load must not hold put-off states back longer
                writeUnwritten(false);
            } else {
                writeUnwritten(stopping);
                journal.flush();
                if (stopping) {
                    break;
                }
                rest(unwritten.isEmpty() ? nextTick : Math.min(nextTick, unwrittenSince + COALESCE_NANOS));
            }
            if (System.nanoTime() >= nextTick) {
                try {
                    tick();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "download tracking upkeep failed");
                }
                nextTick = System.nanoTime() + tickNanos;
            }
        }
        writeUnwritten(true);
        journal.close();
    }

    /** Waits until {@code due} ({@link System#nanoTime()}) or, after {@link #GATHER_NANOS}, until an event comes. */
    private void rest(long due) {
        LockSupport.parkNanos(this, Math.max(1, Math.min(GATHER_NANOS, due - System.nanoTime())));
        if (!queue.isEmpty() || System.nanoTime() >= due) {
            return;
        }
        sleeping = true;
        // an event offered before the flag was set is seen here; one offered after it sees the flag and wakes us
        if (queue.isEmpty()) {
            LockSupport.parkNanos(this, Math.max(1, due - System.nanoTime()));
        }
        sleeping = false;
    }

    /**
     * Ends every download still open ({@code SERVER_SHUTDOWN} when requests were in flight or were cut by the
     * shutdown), writes the journal to disk and stops the tracker's thread. Called after the download listener
     * stopped.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        enqueue(() -> {
            for (TrackedDownload download : new ArrayList<>(open.values())) {
                DownloadEndReason reason = download.completed() ? DownloadEndReason.COMPLETED
                        : !download.inFlight.isEmpty() || download.lastReason == DownloadEndReason.SERVER_SHUTDOWN
                                ? DownloadEndReason.SERVER_SHUTDOWN
                                : download.idleReason();
                download.inFlight.clear();
                close(download, reason);
            }
            stopping = true;
        });
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    private <T> void fire(Event<T> event, T payload) {
        try {
            event.fireAsync(payload);
            vertx.executeBlocking(() -> {
                event.fire(payload);
                return null;
            }, false).onFailure(e -> LOG.errorf(e, "a download tracking event observer failed"));
        } catch (RuntimeException e) {
            LOG.debugf("download tracking event not fired: %s", e);
        }
    }

    // ---- for the flusher

    /**
     * @param max the most to return
     * @return download records MongoDB does not hold yet, oldest first
     */
    List<Download> pendingDownloads(int max) {
        return pendingDownloads.values().stream()
                .sorted(java.util.Comparator.comparing((Download d) -> d.startedAt))
                .limit(max).toList();
    }

    /**
     * @param max the most to return
     * @return request records MongoDB does not hold yet
     */
    List<RequestRecord> pendingRequests(int max) {
        return pendingRequests.values().stream().limit(max).toList();
    }

    /** MongoDB holds this record: it leaves the pending ones unless a newer state replaced it meanwhile. */
    void acknowledged(Download written) {
        if (pendingDownloads.remove(written.id, written)) {
            long version = written.parts.values().iterator().next().version;
            enqueue(() -> journal.append(JournalEntry.ack(written.id, version)));
        }
    }

    /** MongoDB holds this request record. */
    void acknowledged(RequestRecord written) {
        if (pendingRequests.remove(written.id, written)) {
            enqueue(() -> journal.append(JournalEntry.requestAck(written.id)));
        }
    }

    // ---- what operators and tests read

    /** @return whether tracking runs */
    public boolean running() {
        return running;
    }

    /** @return this node's name in the records */
    public String node() {
        return node;
    }

    /** @return records waiting for MongoDB */
    public int pending() {
        return pendingDownloads.size() + pendingRequests.size();
    }

    /** @return logical downloads started since this process started */
    public long startedDownloads() {
        return started.get();
    }

    /** @return logical downloads completed since this process started */
    public long completedDownloads() {
        return completed.get();
    }

    /** @return logical downloads ended incomplete since this process started (INTERRUPTED ones included) */
    public long stoppedDownloads() {
        return stopped.get();
    }

    /** @return the journal's size on disk */
    public long journalSize() {
        TrackingJournal current = journal;
        return current == null ? 0 : current.size();
    }

    /** @return the maximum number of requests listed per record */
    int maxRequestsPerDownload() {
        return config.maxRequestsPerDownload();
    }
}
