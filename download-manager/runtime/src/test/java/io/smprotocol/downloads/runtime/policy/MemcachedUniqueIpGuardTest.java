package io.smprotocol.downloads.runtime.policy;

import static io.smprotocol.downloads.runtime.policy.OnContext.await;
import static io.smprotocol.downloads.runtime.policy.OnContext.on;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.config.MemcachedConfig;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The memcached unique-ip guard around a release that races a new request on another event loop, against a memcached
 * kept in a map whose answers the test can hold back.
 */
class MemcachedUniqueIpGuardTest {

    static final String IP = "10.0.0.1";
    static final String FILE = "/a.bin";

    Vertx vertx;
    ScriptedMemcached memcached;
    MemcachedUniqueIpGuard guard;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        memcached = new ScriptedMemcached(vertx);
        guard = new MemcachedUniqueIpGuard(memcached, vertx, new MemoryUniqueIpGuard());
    }

    @AfterEach
    void stop() throws Exception {
        OnContext.close(vertx);
    }

    /**
     * memcached answered "exists" to the new request's {@code add} before the running download's release deleted the
     * key; the release then ran before the request looked for a holder here. The download is over: the request asks
     * once more and gets the lease.
     */
    @Test
    void aRequestRefusedByMemcachedJustBeforeTheReleaseAsksAgain() throws Exception {
        Context holder = vertx.getOrCreateContext();
        Context next = vertx.getOrCreateContext();
        UniqueIpGuard.Lease first = on(holder, () -> guard.tryAcquire(IP, FILE)).orElseThrow();

        Promise<Boolean> heldBack = Promise.promise();
        memcached.answerNextAddWith(heldBack.future());
        AtomicReference<Future<Optional<UniqueIpGuard.Lease>>> second = new AtomicReference<>();
        on(next, () -> {
            second.set(guard.tryAcquire(IP, FILE));
            return Future.succeededFuture();
        });
        on(holder, () -> {
            first.release();
            return Future.succeededFuture();
        });
        next.runOnContext(v -> heldBack.complete(false));

        assertThat(await(second.get().toCompletionStage().toCompletableFuture()))
                .as("the request after the download ended").isPresent();
        assertThat(memcached.sent()).containsExactly("add", "add", "delete", "add");
        assertThat(memcached.held()).isEqualTo(1);
    }

    /**
     * A request's {@code add} reaches memcached after the release's {@code delete} and before that release gave the key
     * back here. The request gets the lease, once the release is done, and the key it created in memcached is its own:
     * its release deletes it.
     */
    @Test
    void aRequestBetweenTheReleasesDeleteAndItsEndGetsTheLeaseAndFreesIt() throws Exception {
        Context holder = vertx.getOrCreateContext();
        UniqueIpGuard.Lease first = on(holder, () -> guard.tryAcquire(IP, FILE)).orElseThrow();

        // the request runs inside the release, right after its delete: as another event loop could at that moment
        List<Future<Optional<UniqueIpGuard.Lease>>> between = new ArrayList<>();
        memcached.onDelete(() -> between.add(guard.tryAcquire(IP, FILE)));
        on(holder, () -> {
            first.release();
            return Future.succeededFuture();
        });

        assertThat(between).hasSize(1);
        UniqueIpGuard.Lease second = await(between.get(0).toCompletionStage().toCompletableFuture()).orElseThrow();
        assertThat(memcached.held()).as("the key in memcached, held by the second download").isEqualTo(1);
        on(holder, () -> {
            second.release();
            return Future.succeededFuture();
        });
        assertThat(memcached.held()).isZero();
        assertThat(on(holder, () -> guard.tryAcquire(IP, FILE))).as("a third request, after both").isPresent();
    }

    /** memcached as a map, its answers given at once unless one is held back; the operations sent are listed. */
    static final class ScriptedMemcached extends Memcached {

        private final Map<String, byte[]> values = new ConcurrentHashMap<>();
        private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        private volatile Future<Boolean> nextAdd;
        private volatile Runnable onDelete;

        ScriptedMemcached(Vertx vertx) {
            super(vertx, config());
        }

        void answerNextAddWith(Future<Boolean> answer) {
            nextAdd = answer;
        }

        /** Runs {@code action} inside the next {@code delete}, after the key is gone; the last one set counts. */
        void onDelete(Runnable action) {
            onDelete = action;
        }

        List<String> sent() {
            return List.copyOf(sent);
        }

        int held() {
            return values.size();
        }

        @Override
        public String key(String namespace, String... parts) {
            return namespace + ":" + String.join(" ", parts);
        }

        @Override
        public Future<Boolean> add(String key, Duration ttl, byte[] value) {
            sent.add("add");
            Future<Boolean> scripted = nextAdd;
            nextAdd = null;
            return scripted != null ? scripted : Future.succeededFuture(values.putIfAbsent(key, value) == null);
        }

        @Override
        public Future<Boolean> touch(String key, Duration ttl) {
            return Future.succeededFuture(values.containsKey(key));
        }

        @Override
        public Future<Boolean> delete(String key) {
            sent.add("delete");
            boolean existed = values.remove(key) != null;
            Runnable action = onDelete;
            onDelete = null;
            if (action != null) {
                action.run();
            }
            return Future.succeededFuture(existed);
        }

        @Override
        public void warn(String what, Throwable cause) {
            throw new AssertionError("memcached is up in this test: " + what, cause);
        }

        private static DownloadsConfig config() {
            MemcachedConfig memcached = (MemcachedConfig) Proxy.newProxyInstance(MemcachedConfig.class.getClassLoader(),
                    new Class<?>[] { MemcachedConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                        case "warningInterval" -> Duration.ofMinutes(1);
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return (DownloadsConfig) Proxy.newProxyInstance(DownloadsConfig.class.getClassLoader(),
                    new Class<?>[] { DownloadsConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                        case "memcached" -> memcached;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
