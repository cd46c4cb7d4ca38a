package io.smprotocol.downloads.runtime.http;

import java.util.function.Consumer;

import io.smprotocol.downloads.runtime.files.FileLookup;
import io.smprotocol.downloads.runtime.files.LocalFileCache;
import io.smprotocol.downloads.runtime.lanes.WorkerLane;
import io.smprotocol.downloads.runtime.semantics.RequestPath;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Finds the file a request names, fresh from the file system every time (a local cache's {@code ttl} aside): a
 * {@code stat} of each path segment and, for a small file the local cache does not hold unchanged, its read. That
 * runs on a worker, through the event loop's {@link WorkerLane}: the requests an event loop reads in one go share
 * one hand-off to a worker, and a slow lookup (a network file system) holds up only its own event loop's lookups,
 * never the event loop.
 * <p>
 * Looking files up on the event loop itself was measured against this (4 KiB files, wrk, both load shapes, and CPU
 * time per request): no gain, since the lookup costs as much there and under load one hand-off carries many lookups;
 * it would have let a hung file system stop the event loop.
 */
final class FileLookups {

    private final DownloadSettings settings;
    /** Per event loop: the lane of its lookups. */
    private final ThreadLocal<WorkerLane> lanes;

    FileLookups(DownloadSettings settings, Vertx vertx) {
        this.settings = settings;
        this.lanes = ThreadLocal.withInitial(() -> new WorkerLane(vertx, "a file lookup", 0));
    }

    /**
     * Looks the file up and tells the result on the connection's context: at once when the local cache may serve it
     * without a look at the file system, else once a worker looked it up.
     *
     * @param readWhole whether a small file may be read whole with its lookup (the request may be answered with all
     *        of it)
     * @param found told the lookup
     * @param failed told what failed
     */
    void lookUp(RequestPath path, boolean readWhole, Context context, Consumer<FileLookup> found,
            Consumer<RuntimeException> failed) {
        LocalFileCache localCache = settings.localCache();
        if (localCache != null) {
            FileLookup.Found cached = localCache.get(path.path());
            if (cached != null) {
                found.accept(cached);
                return;
            }
        }
        lanes.get().submit(() -> {
            FileLookup lookup;
            try {
                lookup = fresh(path, readWhole);
            } catch (RuntimeException e) {
                context.runOnContext(v -> failed.accept(e));
                return;
            }
            context.runOnContext(v -> found.accept(lookup));
        });
    }

    /** The file as the file system has it now, with its content when it is small and may be read whole. */
    private FileLookup fresh(RequestPath path, boolean mayReadWhole) {
        LocalFileCache localCache = settings.localCache();
        String key = localCache == null ? null : path.path();
        FileLookup lookup = settings.resolver().lookup(path, size -> mayReadWhole && readWhole(size),
                localCache == null ? null : localCache.kept(key));
        if (localCache != null && lookup instanceof FileLookup.Found found) {
            localCache.put(key, found);
        }
        return lookup;
    }

    /**
     * @return whether a file of this size is small enough to be read with its lookup and written from memory, and is
     *         not one the memcached cache serves (with the local cache on, small files are kept here rather than
     *         fetched from memcached)
     */
    private boolean readWhole(long size) {
        return size <= DownloadRequestHandler.SMALL_FILE
                && (settings.localCache() != null || settings.cache() == null || !settings.cache().eligible(size));
    }
}
