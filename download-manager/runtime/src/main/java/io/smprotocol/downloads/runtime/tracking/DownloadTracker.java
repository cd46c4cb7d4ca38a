package io.smprotocol.downloads.runtime.tracking;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smprotocol.download.DownloadCompleted;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.download.DownloadStarted;
import io.smprotocol.download.DownloadStopped;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.config.TrackingConfig;
import io.smprotocol.downloads.runtime.lanes.EventLane;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;
import io.smprotocol.downloads.runtime.sessions.DownloadSessions;

/**
 * Download tracking: turns the requests the download listener answers into logical downloads and their records.
 * <p>
 * What happens to a download is decided by {@link LogicalDownloads}, a state machine without threads or I/O; this
 * class feeds it (requests, their progress and their ends, as the listener pushes them; the passing of time; the start
 * and the shutdown), journals what it decides, hands the records to the {@link JournalFlusher} for MongoDB, and fires
 * the events through the {@link EventLane}. Requests are grouped into downloads by the listener's
 * {@link DownloadSessions} alone; at start the ids of the downloads the journal knows are put back there, so that a
 * client resuming after a restart or a crash continues its download.
 * <p>
 * <b>Never in a download's way.</b> The observer callbacks run on event loops: they only put a task in the tracker's
 * queue (never blocking). One thread of the tracker's own runs the state machine, the geo lookups and the journal
 * writes; MongoDB is written by the {@link JournalFlusher} from the scheduler's thread.
 */
@Singleton
public class DownloadTracker implements DownloadObserver, LogicalDownloads.Outcomes {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");
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
    private final ClientAddresses addresses;
    private final EventLane lane;
    private final DownloadSessions sessions;
    private final Event<DownloadStarted> startedEvent;
    private final Event<DownloadCompleted> completedEvent;
    private final Event<DownloadStopped> stoppedEvent;
    private final String node;
    private final String partKey;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Set while the tracker's thread waits for work with nothing gathered: the next event must wake it. */
    private volatile boolean sleeping;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile Thread thread;
    private TrackingJournal journal;

    // confined to the tracker's thread (and to start(), before it runs)
    private LogicalDownloads downloads;
    private long lastSync = System.nanoTime();
    /** Downloads changed since their last journal entry, waiting for {@link #COALESCE_NANOS} to pass. */
    private final Map<String, TrackedDownload> unwritten = new LinkedHashMap<>();
    private long unwrittenSince;

    // shared with the flusher
    private final PendingRecords pending = new PendingRecords();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong stopped = new AtomicLong();

    @Inject
    public DownloadTracker(DownloadsConfig config, GeoLookup geo, EventLane lane, DownloadSessions sessions,
            Event<DownloadStarted> startedEvent, Event<DownloadCompleted> completedEvent,
            Event<DownloadStopped> stoppedEvent) {
        this.config = config.tracking();
        this.window = config.download().sessionWindow();
        this.geo = geo;
        this.addresses = ClientAddresses.of(this.config.clientAddress(), this.config.clientAddressKey());
        this.lane = lane;
        this.sessions = sessions;
        this.startedEvent = startedEvent;
        this.completedEvent = completedEvent;
        this.stoppedEvent = stoppedEvent;
        this.node = NodeName.of(config.nodeName());
        this.partKey = NodeName.partKey(node);
    }

    /**
     * What a new record keeps of its client: geo and network from the full address, then the addresses reduced as
     * {@code quarkus.smprotocol.tracking.client-address} says.
     */
    private void describe(Download.Client client) {
        geo.describe(client);
        client.ip = addresses.stored(client.ip);
        client.peerIp = addresses.stored(client.peerIp);
    }

    /**
     * Opens the journal, ends the downloads a dead process left with requests in flight as {@code INTERRUPTED}, puts
     * back the ids of the downloads that may still be resumed, and starts the tracker's thread. Called at start,
     * before the download listener.
     */
    public synchronized void start() {
        if (running || !config.enabled()) {
            return;
        }
        downloads = new LogicalDownloads(partKey, node, window, config.maxRequestsPerDownload(), this::describe,
                request -> sessions.current(request.client().ip(), request.userAgent(), request.file().path(),
                        request.file().etag()),
                this);
        journal = new TrackingJournal(Path.of(config.journalDir()), config.journalMaxSize().asLongValue());
        TrackingJournal.Replay replay = journal.open();
        recover(replay);
        running = true;
        stopping = false;
        thread = new Thread(this::loop, "smprotocol-tracker");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Tracking downloads as node %s; journal %s (%d bytes); %d records to write to MongoDB", node,
                journal.file(), journal.size(), pending.size());
    }

    private void recover(TrackingJournal.Replay replay) {
        long stoppedBefore = stopped.get();
        int resumable = JournalRecovery.restore(replay, downloads, pending, sessions, Instant.now());
        // what recovery decided was written: on the journal's thread from now on
        writeUnwritten(true);
        if (replay.unreadable() > 0) {
            LOG.infof("tracking journal: %d unreadable line(s) skipped (a write cut short by a crash)",
                    replay.unreadable());
        }
        long interrupted = stopped.get() - stoppedBefore;
        if (interrupted > 0 || resumable > 0) {
            LOG.infof("%d download(s) ended as the process stopped; %d may be resumed under their id", interrupted,
                    resumable);
        }
        // start from a compact journal holding only what MongoDB still lacks and what may be resumed
        journal.compact(liveEntries());
    }

    // ---- the observer SPI: on event loops, never blocking

    @Override
    public void requested(DownloadRequest request) {
        if (running && !stopping) {
            enqueue(() -> downloads.requested(request));
        }
    }

    @Override
    public void progressed(DownloadRequest request, long bytes) {
        if (running) {
            Instant now = Instant.now();
            enqueue(() -> downloads.progressed(request, bytes, now));
        }
    }

    @Override
    public void ended(DownloadRequest request, DownloadEnd end) {
        if (running) {
            enqueue(() -> downloads.ended(request, end));
        }
    }

    /** Hands a task to the tracker's thread, waking it only when it sleeps with nothing to do. */
    private void enqueue(Runnable task) {
        queue.offer(task);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    // ---- the state machine's outcomes, on the tracker's thread

    @Override
    public void changed(TrackedDownload download) {
        publish(download);
    }

    @Override
    public void started(TrackedDownload download) {
        started.incrementAndGet();
        fire(startedEvent, new DownloadStarted(download.record().toValue()));
    }

    @Override
    public void completed(TrackedDownload download) {
        completed.incrementAndGet();
        fire(completedEvent, new DownloadCompleted(download.record().toValue()));
    }

    @Override
    public void stopped(TrackedDownload download, DownloadEndReason reason) {
        stopped.incrementAndGet();
        if (reason == DownloadEndReason.INTERRUPTED) {
            LOG.infof("download %s of %s by %s had a request in flight when the process stopped: recorded as"
                    + " INTERRUPTED at %d of %d bytes", download.id, download.file.path, download.client.ip,
                    download.coverage.covered(), download.file.size);
        }
        fire(stoppedEvent, new DownloadStopped(download.record().toValue(), reason));
    }

    @Override
    public void request(RequestRecord record) {
        record.clientIp = addresses.stored(record.clientIp);
        pending.put(record);
        journal.append(JournalEntry.request(record));
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
        pending.put(record);
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

    /** Downloads nobody resumed, the journal's upkeep. */
    private void tick() {
        downloads.tick(Instant.now());
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

    /**
     * @return what the journal must keep: downloads in progress, not acknowledged or that may still be resumed, and
     *         requests not acknowledged
     */
    private Collection<JournalEntry> liveEntries() {
        Map<String, JournalEntry> live = new LinkedHashMap<>();
        for (Download record : pending.downloads()) {
            live.put(record.id, JournalEntry.download(record));
        }
        for (TrackedDownload download : downloads.known()) {
            if (!live.containsKey(download.id) || download.open()) {
                live.put(download.id, JournalEntry.download(download.record()));
            }
        }
        List<JournalEntry> entries = new ArrayList<>(live.values());
        for (RequestRecord request : pending.requests()) {
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
     * Ends every download still open ({@code SERVER_SHUTDOWN} when the shutdown cut a request of it, else with its own
     * reason), writes the journal to disk and stops the tracker's thread. Called after the download listener stopped,
     * so that the ends of the requests it cut are in the queue before this.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        enqueue(() -> {
            downloads.shutdown(Instant.now());
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
        lane.fire(event, payload, true, true);
    }

    // ---- for the flusher

    /**
     * @param max the most to return
     * @return download records MongoDB does not hold yet, oldest first
     */
    List<Download> pendingDownloads(int max) {
        return pending.downloads(max);
    }

    /**
     * @param max the most to return
     * @return request records MongoDB does not hold yet
     */
    List<RequestRecord> pendingRequests(int max) {
        return pending.requests(max);
    }

    /** MongoDB holds this record: it leaves the pending ones unless a newer state replaced it meanwhile. */
    void acknowledged(Download written) {
        if (pending.written(written)) {
            long version = written.parts.values().iterator().next().version;
            enqueue(() -> journal.append(JournalEntry.ack(written.id, version)));
        }
    }

    /** MongoDB holds this request record. */
    void acknowledged(RequestRecord written) {
        if (pending.written(written)) {
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
        return pending.size();
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
