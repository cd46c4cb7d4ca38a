package io.smprotocol.downloads.runtime.files;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Small files kept in this process's memory, each with the lookup that read it, for a fixed time after it was read
 * ({@code quarkus.smprotocol.download.local-cache}). A request for a cached file is answered on its event loop
 * without a worker hand-off or a system call: for a 4 KiB file these are most of the cost of a request.
 * <p>
 * An entry is what one lookup found, its bytes read with it: the entity tag, the size and the content always belong
 * together, so what is served from here is a consistent, possibly older, version of the file.
 */
public final class LocalFileCache {

    /**
     * The classes Caffeine makes for this cache's settings (strong keys and values, bounded by weight, expiring after
     * write), picked by name and made through their constructors: a native image must keep them, and Quarkus'
     * Caffeine extension registers only the common combinations.
     */
    public static final List<String> CAFFEINE_CLASSES = List.of("com.github.benmanes.caffeine.cache.SSMWW",
            "com.github.benmanes.caffeine.cache.PSWMW");

    /** What an entry costs besides its bytes and its key: the map's node, the lookup and its strings. */
    private static final int ENTRY_OVERHEAD = 256;

    private final Cache<String, FileLookup.Found> files;
    private final LongAdder hits = new LongAdder();

    /**
     * @param ttl how long an entry is served after it was read, more than zero
     * @param maxBytes the most memory the entries take
     */
    public LocalFileCache(Duration ttl, long maxBytes) {
        this(ttl, maxBytes, Ticker.systemTicker());
    }

    /** @param ticker the clock entries expire by */
    LocalFileCache(Duration ttl, long maxBytes, Ticker ticker) {
        this.files = Caffeine.newBuilder()
                .ticker(ticker)
                // evictions run on the thread that caused them (a few map operations) rather than on the common
                // fork-join pool, which the application may use for its own work
                .executor(Runnable::run)
                .expireAfterWrite(ttl)
                .maximumWeight(maxBytes).<String, FileLookup.Found> weigher((path, found) -> ENTRY_OVERHEAD + 2 * path.length()
                        + found.content().length())
                .build();
    }

    /**
     * @param path the decoded request path
     * @return the file with its content when it is cached and fresh, else {@code null}
     */
    public FileLookup.Found get(String path) {
        FileLookup.Found found = files.getIfPresent(path);
        if (found != null) {
            hits.increment();
        }
        return found;
    }

    /**
     * Keeps a file that was read with its lookup; a lookup without content is not kept.
     *
     * @param path the decoded request path it was found by
     * @param found what the lookup found
     */
    public void put(String path, FileLookup.Found found) {
        if (found.content() != null) {
            files.put(path, found);
        }
    }

    /** @return requests answered from this cache */
    public long hits() {
        return hits.sum();
    }

    /** @return the memory the entries take, as counted against {@code max-size}, after pending evictions ran */
    long weight() {
        files.cleanUp();
        return files.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }
}
