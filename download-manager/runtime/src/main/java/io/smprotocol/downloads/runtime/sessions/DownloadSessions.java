package io.smprotocol.downloads.runtime.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.downloads.runtime.config.ClientAddressMode;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The one place where requests are grouped into logical downloads: requests of one client (address and user agent)
 * for one file version (path and ETag) within the session window of the previous one's start or end share a download
 * id. Download tracking takes that id as it is; it never groups again.
 * <p>
 * With a shared store ({@code quarkus.smprotocol.download.session-store}: memcached, or the tracking MongoDB) the id
 * is shared by every replica and survives the application; otherwise, and while the store is unreachable, it is kept
 * in memory. The ids in memory outlive listener restarts (this is a bean, not part of one run of the listener), and
 * download tracking puts back at start the ids of the downloads its journal knows ({@link #resume}): a client that
 * resumes after a crash or a restart gets the id of the download it resumes.
 */
@Singleton
public class DownloadSessions {

    private record Entry(String id, long lastSeenNanos) {
    }

    private final Duration window;
    private final SharedSessions store;
    private final Map<ClientKey, Entry> local = new ConcurrentHashMap<>();
    /**
     * Ids put back from the journal, by the address as the journal stores it, where that is not the full address
     * ({@code client-address=truncated|hashed}): the first request of a matching client takes its id over.
     */
    private final Map<ClientKey, Entry> resumed = new ConcurrentHashMap<>();
    private final ClientAddresses addresses;

    /**
     * @param mongo the tracking MongoDB's client, looked up only with {@code session-store=mongodb}
     * @param database the tracking database
     */
    @Inject
    public DownloadSessions(DownloadsConfig config, Memcached memcached, Vertx vertx, Instance<MongoClient> mongo,
            @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this(config.download().sessionWindow(), store(config, memcached, vertx,
                () -> mongo.get().getDatabase(database).getCollection(MongoSessions.COLLECTION)),
                ClientAddresses.of(config.tracking().clientAddress(), config.tracking().clientAddressKey()));
    }

    /**
     * @param window the session window
     * @param store the shared store, or {@code null} to keep ids in memory
     */
    DownloadSessions(Duration window, SharedSessions store) {
        this(window, store, ClientAddresses.of(ClientAddressMode.FULL, Optional.empty()));
    }

    /** @param addresses what the journal keeps of a client's address, for {@link #resume} */
    DownloadSessions(Duration window, SharedSessions store, ClientAddresses addresses) {
        this.window = window;
        this.store = store;
        this.addresses = addresses;
    }

    private static SharedSessions store(DownloadsConfig config, Memcached memcached, Vertx vertx,
            Supplier<MongoCollection<Document>> mongo) {
        Duration window = config.download().sessionWindow();
        boolean memcachedConfigured = config.memcached().servers().filter(servers -> !servers.isEmpty()).isPresent();
        return switch (config.download().sessionStore()) {
            case AUTO -> memcachedConfigured ? new MemcachedSessions(memcached, window) : null;
            case MEMORY -> null;
            case MEMCACHED -> {
                if (!memcachedConfigured) {
                    throw new ConfigurationException("quarkus.smprotocol.download.session-store is memcached but"
                            + " quarkus.smprotocol.memcached.servers is not set");
                }
                yield new MemcachedSessions(memcached, window);
            }
            case MONGODB -> {
                if (!config.trackingActive()) {
                    throw new ConfigurationException("quarkus.smprotocol.download.session-store is mongodb but"
                            + " download tracking is off (quarkus.smprotocol.tracking.enabled): the sessions are kept"
                            + " in the tracking database");
                }
                yield new MongoSessions(vertx, mongo, window);
            }
        };
    }

    private SharedSessions shared() {
        return store instanceof MemcachedSessions memcached && !memcached.running() ? null : store;
    }

    /**
     * @param ip the client's address
     * @param userAgent the client's {@code User-Agent}, or {@code null}
     * @param path the file's request path
     * @param etag the file's entity tag
     * @return the download id for a request starting now
     */
    public Future<String> downloadId(String ip, String userAgent, String path, String etag) {
        ClientKey key = ClientKey.of(ip, userAgent, path, etag);
        SharedSessions shared = shared();
        if (shared == null) {
            return Future.succeededFuture(localId(key));
        }
        // a download this node's journal knows (put back at start) keeps its id when the store lost it
        Entry known = entry(key);
        String fresh = known != null && fresh(known, System.nanoTime()) ? known.id() : UUID.randomUUID().toString();
        return shared.claim(key, fresh).map(id -> remember(key, id)).recover(e -> {
            shared.warn("download sessions kept in memory", e);
            return Future.succeededFuture(localId(key));
        });
    }

    /**
     * A request of the download ended: the window slides from its end too, so that a download whose one request took
     * longer than the window is still resumed under its id.
     */
    public void touch(String ip, String userAgent, String path, String etag, String id) {
        ClientKey key = ClientKey.of(ip, userAgent, path, etag);
        local.computeIfPresent(key, (k, old) -> old.id().equals(id) ? new Entry(id, System.nanoTime()) : old);
        SharedSessions shared = shared();
        if (shared != null) {
            shared.touch(key, id);
        }
    }

    /**
     * Puts back the id of a download that was active at {@code lastActivity} (read from the tracking journal at
     * start), unless the window has passed since or the client already has a newer one.
     */
    public void resume(String ip, String userAgent, String path, String etag, String id, Instant lastActivity) {
        long age = Duration.between(lastActivity, Instant.now()).toNanos();
        if (age > window.toNanos()) {
            return;
        }
        long seen = System.nanoTime() - Math.max(0, age);
        (addresses.keepsFull() ? local : resumed).merge(ClientKey.of(ip, userAgent, path, etag), new Entry(id, seen),
                (old, back) -> old.lastSeenNanos() >= back.lastSeenNanos() ? old : back);
    }

    /**
     * @return the id the client has for that file now, or {@code null}; never creates one (for requests that are no
     *         downloads, a refusal, to name the download they belong to)
     */
    public String current(String ip, String userAgent, String path, String etag) {
        Entry entry = entry(ClientKey.of(ip, userAgent, path, etag));
        return entry != null && fresh(entry, System.nanoTime()) ? entry.id() : null;
    }

    /**
     * @return the client's entry; when it has none, the one the journal gave back for its stored address, taken over
     *         by this client
     */
    private Entry entry(ClientKey key) {
        Entry entry = local.get(key);
        if (entry != null || resumed.isEmpty()) {
            return entry;
        }
        Entry back = resumed.remove(ClientKey.of(addresses.stored(key.ip()), key.userAgent(), key.path(), key.etag()));
        if (back == null || !fresh(back, System.nanoTime())) {
            return null;
        }
        Entry taken = local.putIfAbsent(key, back);
        return taken != null ? taken : back;
    }

    private String remember(ClientKey key, String id) {
        local.put(key, new Entry(id, System.nanoTime()));
        return id;
    }

    private boolean fresh(Entry entry, long now) {
        return now - entry.lastSeenNanos() <= window.toNanos();
    }

    private String localId(ClientKey key) {
        long now = System.nanoTime();
        entry(key);
        Entry entry = local.compute(key, (k, old) -> old != null && fresh(old, now)
                ? new Entry(old.id(), now)
                : new Entry(UUID.randomUUID().toString(), now));
        return entry.id();
    }

    /** Forgets sessions idle for longer than the window; called periodically. */
    public void expire() {
        long now = System.nanoTime();
        local.values().removeIf(entry -> !fresh(entry, now));
        resumed.values().removeIf(entry -> !fresh(entry, now));
    }
}
