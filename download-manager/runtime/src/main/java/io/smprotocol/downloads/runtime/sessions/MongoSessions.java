package io.smprotocol.downloads.runtime.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.bson.Document;
import org.jboss.logging.Logger;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.smprotocol.downloads.runtime.memcached.RateLimitedWarning;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Download ids in the tracking database, for replicas that share a MongoDB and no memcached. A document per client
 * and file, {@code {_id: digest, downloadId, expiresAt}}: the {@code _id} is a SHA-256 digest of the client's
 * address, user agent, path and ETag, so that the collection holds no address. Claiming is atomic: a live id has its
 * expiry pushed on and is taken; otherwise an upsert that matches only an expired document writes the fresh id, and
 * when another replica inserted one in between, the duplicate key makes this replica read and take theirs.
 * <p>
 * The calls run on a worker thread (the driver blocks) and are given {@link #TIMEOUT} each: a request never waits
 * longer for its id. After a failure or a timeout the store is left alone for {@link #BACKOFF}, during which
 * {@link DownloadSessions} keeps ids in memory, so that an unreachable MongoDB does not hold a worker per request.
 */
final class MongoSessions implements SharedSessions {

    /** The collection's name. */
    static final String COLLECTION = "download_sessions";
    /** The longest a request waits for its id. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How long the store is left alone after it failed. */
    static final Duration BACKOFF = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");

    private final Vertx vertx;
    private final Supplier<MongoCollection<Document>> collection;
    private final Duration window;
    private final RateLimitedWarning warning = new RateLimitedWarning(LOG, Duration.ofMinutes(1));
    private final AtomicLong failedAt = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean indexed;

    /**
     * @param vertx runs the driver's calls on its worker threads
     * @param collection the {@code download_sessions} collection, looked up when first used (after MongoDB started)
     * @param window the session window
     */
    MongoSessions(Vertx vertx, Supplier<MongoCollection<Document>> collection, Duration window) {
        this.vertx = vertx;
        this.collection = collection;
        this.window = window;
    }

    @Override
    public Future<String> claim(ClientKey key, String fresh) {
        if (backingOff()) {
            return Future.failedFuture(new IllegalStateException("MongoDB failed less than "
                    + BACKOFF.toSeconds() + " s ago"));
        }
        return bounded(() -> claimNow(key.digest(), fresh, Instant.now()));
    }

    private String claimNow(String id, String fresh, Instant now) {
        MongoCollection<Document> sessions = sessions();
        Date expires = Date.from(now.plus(window));
        Document live = sessions.findOneAndUpdate(
                Filters.and(Filters.eq("_id", id), Filters.gt("expiresAt", Date.from(now))),
                Updates.set("expiresAt", expires), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (live != null) {
            return live.getString("downloadId");
        }
        try {
            sessions.updateOne(Filters.and(Filters.eq("_id", id), Filters.lte("expiresAt", Date.from(now))),
                    Updates.combine(Updates.set("downloadId", fresh), Updates.set("expiresAt", expires)),
                    new UpdateOptions().upsert(true));
            return fresh;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // another replica claimed it in between: theirs is the download
            Document raced = sessions.find(Filters.eq("_id", id)).first();
            return raced == null ? fresh : raced.getString("downloadId");
        }
    }

    @Override
    public void touch(ClientKey key, String id) {
        if (backingOff()) {
            return;
        }
        String digest = key.digest();
        Date expires = Date.from(Instant.now().plus(window));
        bounded(() -> sessions().updateOne(Filters.and(Filters.eq("_id", digest), Filters.eq("downloadId", id)),
                Updates.set("expiresAt", expires))).onFailure(e -> warn("a download's session not extended", e));
    }

    @Override
    public void warn(String what, Throwable cause) {
        warning.warn("MongoDB download sessions: " + what, cause);
    }

    private boolean backingOff() {
        long failed = failedAt.get();
        return failed != Long.MIN_VALUE && System.nanoTime() - failed < BACKOFF.toNanos();
    }

    /** Runs a driver call on a worker; the future fails after {@link #TIMEOUT} even while the call goes on. */
    private <T> Future<T> bounded(Callable<T> call) {
        Promise<T> promise = Promise.promise();
        long timer = vertx.setTimer(TIMEOUT.toMillis(), id -> {
            if (promise.tryFail(new TimeoutException("no answer within " + TIMEOUT.toMillis() + " ms"))) {
                failedAt.set(System.nanoTime());
            }
        });
        vertx.<T> executeBlocking(call, false).onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                promise.tryComplete(result.result());
            } else {
                failedAt.set(System.nanoTime());
                promise.tryFail(result.cause());
            }
        });
        return promise.future();
    }

    private MongoCollection<Document> sessions() {
        MongoCollection<Document> sessions = collection.get();
        if (!indexed) {
            indexed = true;
            try {
                // MongoDB removes expired sessions itself; a server without TTL indexes keeps them, harmlessly
                sessions.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L,
                        TimeUnit.SECONDS));
            } catch (MongoException e) {
                LOG.debugf("no TTL index on %s: %s", COLLECTION, e.getMessage());
            }
        }
        return sessions;
    }
}
