package io.smprotocol.runtime.download;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Future;

/**
 * {@link UniqueIpGuard} within this process, for when no memcached is configured (and as the fallback while it is
 * unreachable).
 */
public final class MemoryUniqueIpGuard implements UniqueIpGuard {

    private final Set<String> running = ConcurrentHashMap.newKeySet();

    @Override
    public Future<Optional<Lease>> tryAcquire(String ip, String path) {
        return Future.succeededFuture(acquireNow(ip, path));
    }

    /** The same, synchronously. */
    Optional<Lease> acquireNow(String ip, String path) {
        String key = ip + "\u0000" + path;
        if (!running.add(key)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                running.remove(key);
            }
        });
    }

    /** @return the leases held now */
    public int held() {
        return running.size();
    }
}
