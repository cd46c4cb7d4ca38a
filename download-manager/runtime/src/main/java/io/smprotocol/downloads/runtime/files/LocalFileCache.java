package io.smprotocol.downloads.runtime.files;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Small files kept in this process's memory, each with the lookup that read it
 * ({@code quarkus.smprotocol.download.local-cache}). A kept file is served in one of two ways:
 * <ul>
 * <li>for {@code ttl} after it was read or last found unchanged, on its event loop without a worker hand-off or a
 * system call ({@link #get}): a changed file may be served as it was for that long;</li>
 * <li>after that (and always with a {@code ttl} of zero, the default) only once a fresh walk from the root found the
 * file unchanged ({@link #kept}, {@link PathResolver#lookup(io.smprotocol.downloads.runtime.semantics.RequestPath,
 * java.util.function.LongPredicate, FileLookup.Found)}): a {@code stat} per path segment instead of the file's
 * open, read, close and second {@code stat}, and never stale.</li>
 * </ul>
 * An entry is what one lookup found, its bytes read with it: the entity tag, the size and the content always belong
 * together, so what is served from here is a consistent version of the file.
 */
public final class LocalFileCache {

    /**
     * The classes Caffeine makes for this cache's settings (strong keys and values, bounded by weight), picked by name
     * and made through their constructors: a native image must keep them, and Quarkus' Caffeine extension registers
     * only the common combinations.
     */
    public static final List<String> CAFFEINE_CLASSES = List.of("com.github.benmanes.caffeine.cache.SSMW",
            "com.github.benmanes.caffeine.cache.PSMW");

    /** What an entry costs besides its bytes and its key: the map's node, the entry, the lookup and its strings. */
    private static final int ENTRY_OVERHEAD = 288;

    /** A kept lookup and when it was last known to be the file on disk. */
    private static final class Entry {
        final FileLookup.Found found;
        /** The ticker's time of the read, or of the last walk that found the file unchanged. */
        volatile long checkedAt;

        Entry(FileLookup.Found found, long checkedAt) {
            this.found = found;
            this.checkedAt = checkedAt;
        }
    }

    private final Cache<String, Entry> files;
    private final long ttlNanos;
    private final Ticker ticker;
    private final LongAdder hits = new LongAdder();

    /**
     * @param ttl how long an entry is served without looking at the file system, zero for never
     * @param maxBytes the most memory the entries take
     */
    public LocalFileCache(Duration ttl, long maxBytes) {
        this(ttl, maxBytes, Ticker.systemTicker());
    }

    /** @param ticker the clock {@code ttl} is counted by */
    LocalFileCache(Duration ttl, long maxBytes, Ticker ticker) {
        this.ttlNanos = ttl.toNanos();
        this.ticker = ticker;
        this.files = Caffeine.newBuilder()
                // evictions run on the thread that caused them (a few map operations) rather than on the common
                // fork-join pool, which the application may use for its own work
                .executor(Runnable::run)
                .maximumWeight(maxBytes).<String, Entry> weigher((path, entry) -> ENTRY_OVERHEAD + 2 * path.length()
                        + entry.found.content().length())
                .build();
    }

    /**
     * @param path the decoded request path
     * @return the file with its content when it is kept and was read or found unchanged less than {@code ttl} ago,
     *         else {@code null}
     */
    public FileLookup.Found get(String path) {
        if (ttlNanos == 0) {
            return null;
        }
        Entry entry = files.getIfPresent(path);
        if (entry == null || ticker.read() - entry.checkedAt >= ttlNanos) {
            return null;
        }
        hits.increment();
        return entry.found;
    }

    /**
     * @param path the decoded request path
     * @return the kept file to be checked against the file system, or {@code null} when none may be: a file read
     *         while it still changed ({@link FileStamp#settled()}) is served for its {@code ttl} only
     */
    public FileLookup.Found kept(String path) {
        Entry entry = files.getIfPresent(path);
        return entry == null || entry.found.stamp() == null || !entry.found.stamp().settled() ? null : entry.found;
    }

    /**
     * Keeps a file that was read with its lookup, or notes that a walk found a {@link #kept} file unchanged; a lookup
     * without content is not kept, nor, without a {@code ttl}, one read while the file still changed.
     *
     * @param path the decoded request path it was found by
     * @param found what the lookup found
     */
    public void put(String path, FileLookup.Found found) {
        if (found.content() == null || ttlNanos == 0 && (found.stamp() == null || !found.stamp().settled())) {
            // without a ttl, a copy is used only by a check that a file read while it still changed cannot pass
            return;
        }
        Entry entry = files.getIfPresent(path);
        if (entry != null && entry.found == found) {
            hits.increment();
            entry.checkedAt = ticker.read();
        } else {
            files.put(path, new Entry(found, ticker.read()));
        }
    }

    /** @return requests answered from this cache, with or without looking at the file system */
    public long hits() {
        return hits.sum();
    }

    /** @return the memory the entries take, as counted against {@code max-size}, after pending evictions ran */
    long weight() {
        files.cleanUp();
        return files.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }
}
