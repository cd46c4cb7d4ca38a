package io.smprotocol.downloads.runtime.sessions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.vertx.core.Future;

/**
 * Download ids in memcached: created with the atomic {@code add}, so that two replicas never create two ids for one
 * client and file, their expiry pushed on with {@code touch}.
 */
final class MemcachedSessions implements SharedSessions {

    private final Memcached memcached;
    private final Duration window;

    MemcachedSessions(Memcached memcached, Duration window) {
        this.memcached = memcached;
        this.window = window;
    }

    /** @return whether the client runs (it starts with the download listener) */
    boolean running() {
        return memcached.enabled();
    }

    @Override
    public Future<String> claim(ClientKey key, String fresh) {
        String sharedKey = sharedKey(key);
        return memcached.get(sharedKey).compose(existing -> {
            if (existing != null) {
                memcached.touch(sharedKey, window);
                return Future.succeededFuture(new String(existing, StandardCharsets.US_ASCII));
            }
            return memcached.add(sharedKey, window, fresh.getBytes(StandardCharsets.US_ASCII)).compose(added -> added
                    ? Future.succeededFuture(fresh)
                    // another replica created it in between: use theirs
                    : memcached.get(sharedKey).map(raced -> raced == null ? fresh
                            : new String(raced, StandardCharsets.US_ASCII)));
        });
    }

    @Override
    public void touch(ClientKey key, String id) {
        memcached.touch(sharedKey(key), window);
    }

    @Override
    public void warn(String what, Throwable cause) {
        memcached.warn(what, cause);
    }

    private String sharedKey(ClientKey key) {
        return memcached.key("session", key.ip(), key.userAgent(), key.path(), key.etag());
    }
}
