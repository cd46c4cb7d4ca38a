package io.smprotocol.downloads.runtime.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@link UniqueIpGuard} shared by every replica through memcached: a lease is a key created with memcached's atomic
 * {@code add} (only one replica can create it), kept alive with {@code touch} while the download runs, and deleted
 * when it ends. Its expiry frees the key of a replica that died mid-download within {@link #LEASE_TTL}.
 * <p>
 * While memcached is unreachable, leases come from the in-memory guard: the rule then holds per replica, and no
 * client gets an error for it.
 * <p>
 * A lease is deleted before the next {@code add} of its key from this replica is sent when that request arrived
 * after the download ended (see {@link LeaseHolders}); spymemcached sends the operations of one server in order. The
 * release sends its {@code delete} before it gives the key back here, so a request that finds the key free here asks
 * memcached after the {@code delete}.
 */
public final class MemcachedUniqueIpGuard implements UniqueIpGuard {

    /** How long a lease outlives a replica that stopped touching it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(60);
    private static final byte[] HELD = "1".getBytes(StandardCharsets.US_ASCII);

    private final Memcached memcached;
    private final Vertx vertx;
    private final MemoryUniqueIpGuard fallback;
    /** The leases this replica holds in memcached. */
    private final LeaseHolders local = new LeaseHolders();

    public MemcachedUniqueIpGuard(Memcached memcached, Vertx vertx, MemoryUniqueIpGuard fallback) {
        this.memcached = memcached;
        this.vertx = vertx;
        this.fallback = fallback;
    }

    @Override
    public Future<Optional<Lease>> tryAcquire(String ip, String path) {
        String key = memcached.key("uip", ip, path);
        return add(ip, path, key).compose(lease -> lease.isPresent() ? Future.succeededFuture(lease)
                : local.afterHolder(key, () -> add(ip, path, key)));
    }

    private Future<Optional<Lease>> add(String ip, String path, String key) {
        return memcached.add(key, LEASE_TTL, HELD).transform(result -> {
            if (result.failed()) {
                memcached.warn("unique-ip state kept in memory", result.cause());
                return fallback.tryAcquire(ip, path);
            }
            if (!Boolean.TRUE.equals(result.result())) {
                return Future.succeededFuture(Optional.empty());
            }
            Optional<Lease> taken = takeNow(key);
            if (taken.isPresent()) {
                return Future.succeededFuture(taken);
            }
            // memcached had the key no more, but the release that deleted it has not given it back here yet: take
            // it after that release's turn, or the key just added would be nobody's until it expires
            return local.afterHolder(key, () -> Future.succeededFuture(takeNow(key)));
        });
    }

    private Optional<Lease> takeNow(String key) {
        return local.take(key) ? Optional.of(lease(key)) : Optional.empty();
    }

    private Lease lease(String key) {
        long period = LEASE_TTL.toMillis() / 3;
        long timer = vertx.setPeriodic(period, id -> memcached.touch(key, LEASE_TTL)
                .onFailure(e -> memcached.warn("cannot renew a unique-ip lease", e)));
        boolean[] released = new boolean[1];
        return () -> {
            synchronized (released) {
                if (released[0]) {
                    return;
                }
                released[0] = true;
            }
            vertx.cancelTimer(timer);
            // the delete first: an add sent once the key is free here goes out after it
            memcached.delete(key).onFailure(e -> memcached.warn(
                    "cannot release a unique-ip lease; it expires within " + LEASE_TTL.toSeconds() + "s", e));
            local.give(key);
        };
    }
}
