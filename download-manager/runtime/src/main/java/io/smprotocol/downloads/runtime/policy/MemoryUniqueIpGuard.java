package io.smprotocol.downloads.runtime.policy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Future;

/**
 * {@link UniqueIpGuard} within this process, for when no memcached is configured (and as the fallback while it is
 * unreachable).
 */
public final class MemoryUniqueIpGuard implements UniqueIpGuard {

    private final LeaseHolders running = new LeaseHolders();

    @Override
    public Future<Optional<Lease>> tryAcquire(String ip, String path) {
        String key = ip + "\u0000" + path;
        Optional<Lease> lease = acquireNow(key);
        if (lease.isPresent()) {
            return Future.succeededFuture(lease);
        }
        return running.afterHolder(key, () -> Future.succeededFuture(acquireNow(key)));
    }

    private Optional<Lease> acquireNow(String key) {
        if (!running.take(key)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                running.give(key);
            }
        });
    }

    /** @return the leases held now */
    public int held() {
        return running.size();
    }
}
