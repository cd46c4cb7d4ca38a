package io.smprotocol.downloads.runtime.files;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.smprotocol.download.FileInfo;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Small files kept in memcached. The key is made of the request path and the ETag, and the ETag changes with the
 * file's size, modification or status-change time, or inode: a changed file has a new key and is never served stale; the old
 * entry
 * just expires. A value whose length is not the file's size (truncated, or written by something else) is a miss.
 * <p>
 * Every failure of memcached — down, slow, full — is reported to the caller, which serves the file from disk: a
 * client never sees an error for it.
 */
public final class MemcachedFileCache {

    private final Memcached memcached;
    private final Vertx vertx;
    private final long maxSize;
    private final Duration ttl;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    public MemcachedFileCache(Memcached memcached, Vertx vertx, long maxSize, Duration ttl) {
        this.memcached = memcached;
        this.vertx = vertx;
        this.maxSize = maxSize;
        this.ttl = ttl;
    }

    /** @return whether this file is small enough to be cached */
    public boolean eligible(FileInfo file) {
        return eligible(file.size());
    }

    /** @return whether a file of this size is small enough to be cached */
    public boolean eligible(long size) {
        return size <= maxSize;
    }

    /**
     * Gets the file's content from memcached, or reads it from disk (async file API) and stores it.
     *
     * @param file the file
     * @return its content, or a failure when memcached could not be used (the caller serves from disk)
     */
    public Future<Buffer> content(FileInfo file) {
        String key = memcached.key("file", file.path(), file.etag());
        return memcached.get(key).recover(e -> {
            errors.incrementAndGet();
            memcached.warn("cache unavailable, serving from disk", e);
            return Future.failedFuture(e);
        }).compose(cached -> {
            if (cached != null && cached.length == file.size()) {
                hits.incrementAndGet();
                return Future.succeededFuture(Buffer.buffer(cached));
            }
            misses.incrementAndGet();
            return vertx.fileSystem().readFile(file.file().toString()).compose(content -> {
                if (content.length() != file.size()) {
                    // the file changed since it was looked at: do not cache what the ETag does not describe
                    return Future.failedFuture(new IllegalStateException("file changed while read"));
                }
                memcached.set(key, ttl, content.getBytes()).onFailure(e -> {
                    errors.incrementAndGet();
                    memcached.warn("cannot store a file in the cache", e);
                });
                return Future.succeededFuture(content);
            });
        });
    }

    /** @return requests answered from memcached */
    public long hits() {
        return hits.get();
    }

    /** @return requests for cacheable files that memcached did not hold */
    public long misses() {
        return misses.get();
    }

    /** @return memcached failures (the file was then served from disk) */
    public long errors() {
        return errors.get();
    }
}
