package io.smprotocol.downloads.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/**
 * The built-in download manager: an HTTP/1.1 listener of its own that serves the files under {@code root} with
 * resumable, ranged downloads.
 */
@ConfigGroup
public interface DownloadConfig {

    /**
     * Whether the download listener starts.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The address to listen on. By default the one Quarkus' HTTP server listens on ({@code quarkus.http.host}): all
     * interfaces ({@code 0.0.0.0}) in production, so that the listener is reachable in a container, and
     * {@code localhost} in dev and test mode.
     */
    @WithDefault("${quarkus.http.host}")
    String host();

    /**
     * The TCP port to listen on; {@code 0} picks a free port (tests).
     */
    @WithDefault("8081")
    int port();

    /**
     * The folder whose files are served, relative to the working directory or absolute. Nothing outside it is ever
     * served. Requests get 404 while it does not exist.
     */
    @WithDefault("downloads")
    String root();

    /**
     * Whether symbolic links under {@code root} are followed. Off: any path that goes through a symbolic link is
     * refused with 403. On: links are followed as long as their target lies inside {@code root}; a link that leaves
     * {@code root} is still refused.
     */
    @WithDefault("false")
    boolean followSymlinks();

    /**
     * The most connections open at once; the requests of further connections are answered with 503 and the
     * connection is closed. {@code 0} means no limit.
     */
    @WithDefault("10000")
    int maxConnections();

    /**
     * The accept backlog of the listening socket (the original's {@code sumaxconn}).
     */
    @WithDefault("1024")
    int backlog();

    /**
     * The unit in which a response body is read and written when it cannot go out with {@code sendfile}: throttled
     * responses (see {@code rate-limit}), responses served from the memcached cache and multipart range responses.
     * It is also the burst a throttled connection may send at once.
     */
    @WithDefault("64K")
    MemorySize blockSize();

    /**
     * One concurrent download per client IP address and file. A further request for the same file from the same
     * address, while the first is still being sent, is answered with 503 and {@code Retry-After} (like nginx's
     * {@code limit_conn}); the first download is never cut. With memcached configured the rule holds across replicas.
     */
    @WithDefault("false")
    boolean uniqueIp();

    /**
     * The {@code Retry-After} given with the 503 that {@code unique-ip} answers.
     */
    @WithDefault("5S")
    Duration uniqueIpRetryAfter();

    /**
     * The most ranges one request may ask for. A request asking for more is answered with the whole file (200), as
     * is one whose ranges add up to more than the file. {@code 0} turns range support off ({@code Accept-Ranges:
     * none}).
     */
    @WithDefault("16")
    int maxRanges();

    /**
     * The most bytes per second sent on one connection; {@code 0} means unthrottled, in which case bodies go out with
     * zero-copy {@code sendfile}. For example {@code 512K} or {@code 10M}.
     */
    @WithDefault("0")
    MemorySize rateLimit();

    /**
     * The networks of the reverse proxies (for example a Kubernetes ingress) whose {@code Forwarded} and
     * {@code X-Forwarded-For} headers are believed, as CIDR blocks or single addresses, e.g.
     * {@code 10.0.0.0/8,fd00::/8}. From any other peer these headers are ignored and the peer is the client.
     */
    Optional<List<String>> trustedProxies();

    /**
     * Requests of one client address for one file (same ETag) that start within this time of the previous one
     * belong to the same logical download: observers see them under one download id, however many connections,
     * ranges or pauses it took.
     */
    @WithDefault("30M")
    Duration sessionWindow();

    /**
     * Where the download ids that group requests into logical downloads are kept: {@code auto} (memcached when
     * {@code quarkus.smprotocol.memcached.servers} is set, else memory), {@code memory} (each replica on its own),
     * {@code memcached}, or {@code mongodb} (the tracking database's {@code download_sessions} collection, shared by
     * replicas that have no memcached). With a shared store, the requests of one download are one record whichever
     * replica they reach, and a download resumed after every replica restarted goes on.
     */
    @WithDefault("auto")
    SessionStore sessionStore();

    /**
     * How long a connection may make no progress (no request received, no response byte accepted by the client)
     * before it is closed; an interrupted download then ends with reason {@code IDLE_TIMEOUT}. {@code 0} disables
     * the timeout.
     */
    @WithDefault("60S")
    Duration idleTimeout();

    /**
     * At shutdown (SIGTERM) and at a restart of the listener, how long the responses in flight may go on before they
     * are cut: the listener stops taking connections and requests at once (readiness is DOWN), lets the responses it
     * is sending finish within this time, then closes what is left, each cut request recorded with the bytes it
     * delivered. {@code 0} cuts at once.
     */
    @WithDefault("10S")
    Duration drainTimeout();

    /**
     * Signed, expiring links.
     */
    SignedLinksConfig signedLinks();

    /**
     * Keeping small files in memcached.
     */
    DownloadCacheConfig cache();

    /**
     * Keeping small files in this process's memory.
     */
    LocalCacheConfig localCache();

    /**
     * Signed, expiring links: {@code ?expires=EPOCH_SECONDS&signature=HEX}, where the signature is the
     * HMAC-SHA256 of the path and the expiry under a shared secret.
     */
    @ConfigGroup
    interface SignedLinksConfig {

        /**
         * Whether signatures are checked. A link with a wrong signature gets 403, an expired one 410.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * The shared secret the signatures are made with (UTF-8). Required when {@code enabled}.
         */
        Optional<String> secret();

        /**
         * Whether every request must be signed. When {@code false}, unsigned requests are served and only requests
         * that carry a signature have it checked.
         */
        @WithDefault("true")
        boolean required();
    }

    /**
     * Files of up to 16 KiB, kept in this process's memory with what their lookup found (size, times, identity,
     * entity tag). On by default, and never stale by default: a request for a kept file still walks the path from
     * the root (a {@code stat} per segment), and the kept copy is served only when the file is unchanged, which its
     * status-change time (ctime) proves; only the file's open, read, close and second {@code stat} are saved. That check
     * trusts a copy read when the file had not changed for two seconds: two changes within one tick of the file
     * system's clock leave the same ctime. Small files go through this cache, not memcached's.
     * <p>
     * With {@code ttl} set, a kept file is answered for that long without looking at the file system at all, as nginx's
     * {@code open_file_cache} does for its descriptors: a file changed, replaced or removed on disk is served as it
     * was read until then. The size, the {@code ETag}, {@code Last-Modified} and the bytes always belong together, so
     * ranges and {@code If-Range} stay correct. A restart of the {@code download} listener empties the cache.
     */
    @ConfigGroup
    interface LocalCacheConfig {

        /** Whether small files are kept in memory. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a kept file is served without looking at the file system, after it was read or last found
         * unchanged. {@code 0} (the default): every request looks, and nothing is served stale; a second or two
         * saves the look too, for files that many clients fetch.
         */
        @WithDefault("0S")
        Duration ttl();

        /**
         * The most memory the cached files take: their bytes and the request paths they were found by. The files
         * used least are dropped first.
         */
        @WithDefault("16M")
        MemorySize maxSize();
    }

    /**
     * Files up to {@code max-size} are kept in memcached (when {@code quarkus.smprotocol.memcached.servers} is set)
     * under a key made of their path and ETag, so that a changed file is never served stale.
     */
    @ConfigGroup
    interface DownloadCacheConfig {

        /**
         * Whether small files are cached; it takes effect only when memcached servers are configured.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The largest file kept in the cache. memcached refuses items over its item size limit ({@code -I},
         * 1 MiB by default), so keep it below that.
         */
        @WithDefault("512K")
        MemorySize maxSize();

        /**
         * How long a cached file stays in memcached.
         */
        @WithDefault("10M")
        Duration ttl();
    }
}
