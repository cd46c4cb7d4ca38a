package io.smprotocol.downloads.runtime.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.config.MemcachedConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.GetFuture;
import net.spy.memcached.internal.OperationFuture;

/**
 * The application's memcached client, seen through Vert.x futures.
 * <p>
 * spymemcached runs its own I/O thread and offers {@code java.util.concurrent.Future}s whose {@code get()} blocks.
 * Here nothing waits on them: each operation registers a completion listener and a Vert.x timer, whichever comes
 * first completes the returned future, and it completes on the Vert.x context that started the operation, so a
 * caller on an event loop goes on on that event loop. Enqueueing an operation never blocks either (the client is
 * built with no queue block time: a full queue fails the operation at once). A slow or unreachable server therefore
 * costs a request at most {@code operation-timeout}, and callers fall back (disk, memory).
 */
@Singleton
public class Memcached {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.memcached");
    /** memcached reads an expiry over 30 days as an absolute time. */
    private static final long MAX_RELATIVE_EXPIRY = TimeUnit.DAYS.toSeconds(30);
    private static final int MAX_VALUE_SIZE = 64 * 1024 * 1024;

    private final Vertx vertx;
    private final MemcachedConfig config;
    private final RateLimitedWarning warning;
    private final RawBytesTranscoder transcoder = new RawBytesTranscoder(MAX_VALUE_SIZE);
    private final AtomicLong failures = new AtomicLong();
    private volatile MemcachedClient client;

    @Inject
    public Memcached(Vertx vertx, DownloadsConfig config) {
        this.vertx = vertx;
        this.config = config.memcached();
        this.warning = new RateLimitedWarning(LOG, this.config.warningInterval());
    }

    /**
     * Connects to the configured servers, if any. The connections are made in the background: a server that is down
     * now is used once it is up.
     */
    public synchronized void start() {
        if (client != null || config.servers().isEmpty() || config.servers().get().isEmpty()) {
            return;
        }
        List<InetSocketAddress> addresses = addresses(config.servers().get());
        // spymemcached logs through its own facade, to stderr by default; send it to JUL, which Quarkus handles
        if (System.getProperty("net.spy.log.LoggerImpl") == null) {
            System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
        }
        ConnectionFactoryBuilder factory = new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
                // a request for a server that is down fails at once instead of waiting for a reconnect
                .setFailureMode(FailureMode.Cancel)
                .setOpTimeout(config.operationTimeout().toMillis())
                // never block the enqueueing thread (an event loop) when the queue is full
                .setOpQueueMaxBlockTime(0)
                .setMaxReconnectDelay(5)
                .setDaemon(true);
        try {
            client = new MemcachedClient(factory.build(), addresses);
        } catch (IOException e) {
            throw new ConfigurationException("quarkus.smprotocol.memcached.servers: " + e.getMessage(), e);
        }
        LOG.infof("memcached: %s (operation timeout %s)", config.servers().get(), config.operationTimeout());
    }

    /** Disconnects; pending operations fail. */
    public synchronized void stop() {
        MemcachedClient current = client;
        client = null;
        if (current != null) {
            current.shutdown(1, TimeUnit.SECONDS);
        }
    }

    /** @return whether memcached servers are configured and the client started */
    public boolean enabled() {
        return client != null;
    }

    /** @return operations that failed or timed out since start */
    public long failures() {
        return failures.get();
    }

    /**
     * Builds a key from any text: the parts are hashed, so that a key never exceeds memcached's 250 bytes nor
     * contains blanks or control characters, whatever the file names.
     *
     * @param namespace what the key is for, e.g. {@code file}
     * @param parts what identifies the value
     * @return {@code PREFIX + namespace + ":" + sha256-hex(parts joined by NUL)}
     */
    public String key(String namespace, String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    digest.update((byte) 0);
                }
                digest.update(parts[i].getBytes(StandardCharsets.UTF_8));
            }
            return config.keyPrefix() + namespace + ":" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the value, {@code null} on a miss; fails when memcached is unreachable or slow */
    public Future<byte[]> get(String key) {
        return run("get", c -> {
            GetFuture<byte[]> future = c.asyncGet(key, transcoder);
            return (promise) -> future.addListener(done -> settle(promise, done));
        });
    }

    /** Stores a value. */
    public Future<Boolean> set(String key, Duration ttl, byte[] value) {
        return run("set", c -> {
            OperationFuture<Boolean> future = c.set(key, expiry(ttl), value, transcoder);
            return (promise) -> future.addListener(done -> settle(promise, done));
        });
    }

    /** Stores a value only if the key is absent, atomically: the result tells whether it was stored. */
    public Future<Boolean> add(String key, Duration ttl, byte[] value) {
        return run("add", c -> {
            OperationFuture<Boolean> future = c.add(key, expiry(ttl), value, transcoder);
            return (promise) -> future.addListener(done -> settle(promise, done));
        });
    }

    /** Gives a key a new expiry; the result tells whether the key existed. */
    public Future<Boolean> touch(String key, Duration ttl) {
        return run("touch", c -> {
            OperationFuture<Boolean> future = c.touch(key, expiry(ttl));
            return (promise) -> future.addListener(done -> settle(promise, done));
        });
    }

    /** Removes a key; the result tells whether it existed. */
    public Future<Boolean> delete(String key) {
        return run("delete", c -> {
            OperationFuture<Boolean> future = c.delete(key);
            return (promise) -> future.addListener(done -> settle(promise, done));
        });
    }

    /**
     * Logs that memcached could not be used, at most once per {@code warning-interval}.
     *
     * @param what what was being done and what happens instead
     * @param cause why
     */
    public void warn(String what, Throwable cause) {
        warning.warn("memcached: " + what, cause);
    }

    private interface Operation<T> {
        Registration<T> start(MemcachedClient client);
    }

    private interface Registration<T> {
        void onDone(Promise<T> promise) throws Exception;
    }

    private <T> Future<T> run(String name, Operation<T> operation) {
        MemcachedClient current = client;
        if (current == null) {
            return Future.failedFuture(new IllegalStateException("memcached is not configured"));
        }
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, config.operationTimeout().toMillis()),
                id -> promise.tryFail(new TimeoutException(name + " took longer than " + config.operationTimeout())));
        // the listener runs on a spymemcached thread: hop back to the caller's context to complete
        Promise<T> fromListener = Promise.promise();
        fromListener.future().onComplete(result -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                promise.tryComplete(result.result());
            } else {
                promise.tryFail(result.cause());
            }
        }));
        try {
            operation.start(current).onDone(fromListener);
        } catch (Exception | Error e) {
            // e.g. IllegalStateException: the queue is full
            vertx.cancelTimer(timer);
            promise.tryFail(e);
        }
        return promise.future().onFailure(e -> failures.incrementAndGet());
    }

    @SuppressWarnings("unchecked")
    private static <T> void settle(Promise<T> promise, java.util.concurrent.Future<?> done) {
        try {
            if (done.isCancelled()) {
                promise.tryFail(new CancellationException("operation cancelled (server unreachable)"));
                return;
            }
            // done: get() returns at once
            promise.tryComplete((T) done.get());
        } catch (ExecutionException e) {
            promise.tryFail(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            promise.tryFail(e);
        } catch (RuntimeException e) {
            promise.tryFail(e);
        }
    }

    private static int expiry(Duration ttl) {
        long seconds = Math.max(1, ttl.toSeconds());
        return (int) Math.min(seconds, MAX_RELATIVE_EXPIRY);
    }

    private static List<InetSocketAddress> addresses(List<String> servers) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String server : servers) {
            String s = server.trim();
            String host = s;
            String port = null;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                host = close < 0 ? s : s.substring(1, close);
                port = close >= 0 && s.startsWith(":", close + 1) ? s.substring(close + 2) : null;
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = s.substring(s.indexOf(':') + 1);
            }
            try {
                // resolved here, at start on the main thread; spymemcached reconnects to this address
                addresses.add(new InetSocketAddress(host, port == null ? 11211 : Integer.parseInt(port)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(
                        "quarkus.smprotocol.memcached.servers: '" + server + "' is not host:port", e);
            }
        }
        return addresses;
    }
}
