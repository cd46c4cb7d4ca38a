package io.smprotocol.downloads.runtime.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.UpdateResult;

import io.quarkus.scheduler.Scheduled;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.tracking.embedded.EmbeddedMongo;

/**
 * Writes the tracking records to MongoDB in batches, from the scheduler's thread (never an event loop), every
 * {@code quarkus.smprotocol.tracking.flush-interval}.
 * <p>
 * A download record is merged into the stored one ({@link Downloads#merge}) and written back only if nobody wrote it
 * meanwhile (its {@code revision}); a retry or a replica's concurrent write can then never duplicate or lose anything.
 * Request records are upserts by id. Only what MongoDB acknowledged leaves the journal; while MongoDB is unreachable
 * the records wait, and a warning is logged once per minute.
 */
@Singleton
public class JournalFlusher {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");
    private static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

    private final DownloadTracker tracker;
    private final int batchSize;
    private final boolean enabled;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean indexed;
    private volatile boolean failing;
    private long lastWarning;

    @Inject
    public JournalFlusher(DownloadTracker tracker, DownloadsConfig config) {
        this.tracker = tracker;
        this.batchSize = Math.max(1, config.tracking().batchSize());
        this.enabled = config.trackingActive();
    }

    @Scheduled(identity = "smprotocol-tracking-flush", every = "${quarkus.smprotocol.tracking.flush-interval:2S}", delayed = "${quarkus.smprotocol.tracking.flush-interval:2S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (enabled && tracker.running()) {
            flush();
        }
    }

    /**
     * Writes every pending record, batch after batch.
     *
     * @return whether MongoDB took everything that was pending
     */
    public synchronized boolean flush() {
        if (!enabled) {
            return true;
        }
        try {
            ensureIndexes();
            boolean more = true;
            while (more) {
                more = flushDownloads() | flushRequests();
            }
            if (failing) {
                failing = false;
                LOG.infof("MongoDB is reachable again: the tracking records that waited are written");
            }
            return tracker.pending() == 0;
        } catch (MongoException | IllegalStateException e) {
            failures.incrementAndGet();
            failing = true;
            long now = System.nanoTime();
            if (lastWarning == 0 || now - lastWarning >= WARNING_INTERVAL_NANOS) {
                lastWarning = now;
                LOG.warnf("MongoDB unreachable, %d tracking record(s) wait in the journal (%d bytes): %s",
                        tracker.pending(), tracker.journalSize(), e.getMessage());
            }
            return false;
        }
    }

    /** @return whether a full batch was written (there may be more) */
    private boolean flushDownloads() {
        List<Download> batch = tracker.pendingDownloads(batchSize);
        if (batch.isEmpty()) {
            return false;
        }
        MongoCollection<Download> collection = Download.mongoCollection();
        List<String> ids = batch.stream().map(d -> d.id).toList();
        Map<String, Download> stored = new HashMap<>();
        for (Download existing : collection.find(Filters.in("_id", ids))) {
            stored.put(existing.id, existing);
        }
        int conflicts = 0;
        for (Download contribution : batch) {
            Download before = stored.get(contribution.id);
            Download merged = Downloads.merge(before, contribution, tracker.maxRequestsPerDownload());
            if (before == null) {
                try {
                    collection.insertOne(merged);
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                        // another replica created it in between: merged next time
                        conflicts++;
                        continue;
                    }
                    throw e;
                }
            } else {
                UpdateResult result = collection.replaceOne(
                        Filters.and(Filters.eq("_id", contribution.id), Filters.eq("revision", before.revision)),
                        merged);
                if (result.getMatchedCount() == 0) {
                    conflicts++;
                    continue;
                }
            }
            written.incrementAndGet();
            tracker.acknowledged(contribution);
        }
        return batch.size() >= batchSize && conflicts < batch.size();
    }

    private boolean flushRequests() {
        List<RequestRecord> batch = tracker.pendingRequests(batchSize);
        if (batch.isEmpty()) {
            return false;
        }
        MongoCollection<RequestRecord> collection = RequestRecord.mongoCollection();
        List<WriteModel<RequestRecord>> writes = new ArrayList<>();
        for (RequestRecord request : batch) {
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", request.id), request,
                    new ReplaceOptions().upsert(true)));
        }
        collection.bulkWrite(writes);
        for (RequestRecord request : batch) {
            written.incrementAndGet();
            tracker.acknowledged(request);
        }
        return batch.size() >= batchSize;
    }

    private void ensureIndexes() {
        if (indexed) {
            return;
        }
        if (EmbeddedMongo.connectionString() != null) {
            // mongo-java-server ignores secondary indexes (with a warning each)
            indexed = true;
            return;
        }
        List<IndexModel> downloads = List.of(
                new IndexModel(Indexes.descending("startedAt")),
                new IndexModel(Indexes.compoundIndex(Indexes.ascending("file.path"), Indexes.descending("startedAt"))),
                new IndexModel(Indexes.compoundIndex(Indexes.ascending("client.ip"), Indexes.descending("startedAt"))),
                new IndexModel(Indexes.compoundIndex(Indexes.ascending("completed"), Indexes.descending("startedAt"))),
                new IndexModel(Indexes.ascending("day")),
                new IndexModel(Indexes.ascending("endReason")),
                new IndexModel(Indexes.ascending("client.geo.countryCode")));
        List<IndexModel> requests = List.of(new IndexModel(Indexes.descending("at")),
                new IndexModel(Indexes.compoundIndex(Indexes.ascending("path"), Indexes.descending("at"))));
        createIndexes(Download.mongoCollection(), downloads);
        createIndexes(RequestRecord.mongoCollection(), requests);
        indexed = true;
    }

    private static void createIndexes(MongoCollection<?> collection, List<IndexModel> indexes) {
        for (IndexModel index : indexes) {
            try {
                collection.createIndex(index.getKeys(), index.getOptions());
            } catch (MongoException e) {
                if (e.getCode() <= 0 || isConnectionProblem(e)) {
                    throw e;
                }
                // a server that does not support this kind of index (mongo-java-server) still stores the records
                LOG.debugf("index %s not created: %s", index.getKeys(), e.getMessage());
            }
        }
    }

    private static boolean isConnectionProblem(MongoException e) {
        return e instanceof com.mongodb.MongoTimeoutException || e instanceof com.mongodb.MongoSocketException;
    }

    /** @return whether the last flush failed (MongoDB unreachable) */
    public boolean failing() {
        return failing;
    }

    /** @return records written since start */
    public long written() {
        return written.get();
    }

    /** @return flushes that failed since start */
    public long failures() {
        return failures.get();
    }
}
