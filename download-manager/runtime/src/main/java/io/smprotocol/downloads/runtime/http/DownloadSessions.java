package io.smprotocol.downloads.runtime.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.smprotocol.downloads.runtime.tracking.ClientKey;
import io.vertx.core.Future;

/**
 * Groups the requests of one logical download: requests of one client (address and user agent) for one file version
 * (path and ETag) that start within the session window of the previous one share a download id. A download resumed after a
 * pause,
 * fetched over eight connections or in a hundred ranges is then one download for tracking.
 * <p>
 * With memcached the id is shared by every replica (created with the atomic {@code add}, its expiry pushed on with
 * {@code touch}); otherwise, and while memcached is unreachable, it is kept in memory.
 */
public final class DownloadSessions {

    private record Entry(String id, long lastSeenNanos) {
    }

    private final Duration window;
    private final Memcached memcached;
    private final Map<ClientKey, Entry> local = new ConcurrentHashMap<>();

    /**
     * @param window the session window
     * @param memcached the shared store, or {@code null} to keep ids in memory
     */
    public DownloadSessions(Duration window, Memcached memcached) {
        this.window = window;
        this.memcached = memcached != null && memcached.enabled() ? memcached : null;
    }

    /**
     * @param ip the client's address
     * @param userAgent the client's {@code User-Agent}, or {@code null}
     * @param path the file's request path
     * @param etag the file's entity tag
     * @return the download id for a request starting now
     */
    public Future<String> downloadId(String ip, String userAgent, String path, String etag) {
        String ua = userAgent == null ? "" : userAgent;
        if (memcached == null) {
            return Future.succeededFuture(localId(ClientKey.of(ip, ua, path, etag)));
        }
        String key = memcached.key("session", ip, ua, path, etag);
        String fresh = UUID.randomUUID().toString();
        return memcached.get(key).compose(existing -> {
            if (existing != null) {
                memcached.touch(key, window);
                return Future.succeededFuture(new String(existing, StandardCharsets.US_ASCII));
            }
            return memcached.add(key, window, fresh.getBytes(StandardCharsets.US_ASCII)).compose(added -> added
                    ? Future.succeededFuture(fresh)
                    // another replica created it in between: use theirs
                    : memcached.get(key).map(raced -> raced == null ? fresh
                            : new String(raced, StandardCharsets.US_ASCII)));
        }).recover(e -> {
            memcached.warn("download sessions kept in memory", e);
            return Future.succeededFuture(localId(ClientKey.of(ip, ua, path, etag)));
        });
    }

    private String localId(ClientKey key) {
        long now = System.nanoTime();
        Entry entry = local.compute(key, (k, old) -> old != null && now - old.lastSeenNanos() <= window.toNanos()
                ? new Entry(old.id(), now)
                : new Entry(UUID.randomUUID().toString(), now));
        return entry.id();
    }

    /** Forgets sessions idle for longer than the window; called periodically. */
    public void expire() {
        long now = System.nanoTime();
        local.values().removeIf(entry -> now - entry.lastSeenNanos() > window.toNanos());
    }
}
