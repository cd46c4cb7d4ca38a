package io.smprotocol.downloads.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smprotocol.download.FileInfo;
import io.vertx.core.buffer.Buffer;

/**
 * The local cache serves a file for its time to live without a check, then (and always without a ttl) only a copy
 * read while the file had settled, for a check against the file system; within its memory bound, and only files
 * read whole.
 */
class LocalFileCacheTest {

    private final AtomicLong nanos = new AtomicLong();

    private static FileLookup.Found file(String path, int size) {
        return file(path, size, true);
    }

    /** @param settled whether the file had not changed for a while when it was read */
    private static FileLookup.Found file(String path, int size, boolean settled) {
        FileInfo info = new FileInfo(Path.of("/srv" + path), path, path.substring(1), size, 0, "\"" + path + "\"",
                "application/octet-stream");
        long readAt = 1_000_000;
        long changedMillis = settled ? readAt - FileStamp.SETTLE_MILLIS : readAt - FileStamp.SETTLE_MILLIS + 1;
        FileStamp stamp = new FileStamp(size, 0, changedMillis * 1_000_000, null, readAt);
        return new FileLookup.Found(info, stamp, Buffer.buffer(new byte[size]));
    }

    @Test
    void servesAnEntryUntilItsTimeToLiveHasPassed() {
        LocalFileCache cache = new LocalFileCache(Duration.ofSeconds(2), 1 << 20, nanos::get);
        FileLookup.Found found = file("/a.bin", 100);
        cache.put("/a.bin", found);
        nanos.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(cache.get("/a.bin")).isSameAs(found);
        assertThat(cache.get("/b.bin")).isNull();
        assertThat(cache.hits()).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(cache.get("/a.bin")).isNull();
        assertThat(cache.hits()).isEqualTo(1);
        // past its ttl it is still there to be checked against the file system
        assertThat(cache.kept("/a.bin")).isSameAs(found);
    }

    @Test
    void aCheckThatFoundTheFileUnchangedServesItForAnotherTtl() {
        LocalFileCache cache = new LocalFileCache(Duration.ofSeconds(2), 1 << 20, nanos::get);
        FileLookup.Found found = file("/a.bin", 100);
        cache.put("/a.bin", found);
        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(cache.get("/a.bin")).isNull();
        cache.put("/a.bin", cache.kept("/a.bin"));
        assertThat(cache.hits()).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(cache.get("/a.bin")).isSameAs(found);
        assertThat(cache.hits()).isEqualTo(2);
    }

    @Test
    void withoutTtlEveryAnswerIsCheckedFirst() {
        LocalFileCache cache = new LocalFileCache(Duration.ZERO, 1 << 20, nanos::get);
        FileLookup.Found found = file("/a.bin", 100);
        cache.put("/a.bin", found);
        assertThat(cache.get("/a.bin")).isNull();
        assertThat(cache.kept("/a.bin")).isSameAs(found);
        assertThat(cache.hits()).isZero();
        // the check found it unchanged: answered from memory
        cache.put("/a.bin", found);
        assertThat(cache.hits()).isEqualTo(1);
        // a new read replaces the copy
        FileLookup.Found changed = file("/a.bin", 200);
        cache.put("/a.bin", changed);
        assertThat(cache.kept("/a.bin")).isSameAs(changed);
        assertThat(cache.hits()).isEqualTo(1);
    }

    /** Two changes within one tick of the file system's clock leave the same ctime: such a copy proves nothing. */
    @Test
    void aCopyReadWhileTheFileStillChangedIsNeverChecked() {
        LocalFileCache withoutTtl = new LocalFileCache(Duration.ZERO, 1 << 20, nanos::get);
        withoutTtl.put("/a.bin", file("/a.bin", 100, false));
        assertThat(withoutTtl.kept("/a.bin")).isNull();
        assertThat(withoutTtl.weight()).isZero();

        LocalFileCache withTtl = new LocalFileCache(Duration.ofSeconds(1), 1 << 20, nanos::get);
        FileLookup.Found found = file("/a.bin", 100, false);
        withTtl.put("/a.bin", found);
        assertThat(withTtl.get("/a.bin")).isSameAs(found);
        assertThat(withTtl.kept("/a.bin")).isNull();
    }

    /** The classes registered for native images are the ones Caffeine makes for these settings. */
    @Test
    void caffeineMakesTheClassesRegisteredForNativeImages() throws ReflectiveOperationException {
        LocalFileCache cache = new LocalFileCache(Duration.ofSeconds(1), 1 << 20, nanos::get);
        cache.put("/a.bin", file("/a.bin", 10));
        Object manual = field(cache, "files");
        Object bounded = field(manual, "cache");
        assertThat(LocalFileCache.CAFFEINE_CLASSES).contains(bounded.getClass().getName());
        Object node = ((java.util.Map<?, ?>) field(bounded, "data")).values().iterator().next();
        assertThat(LocalFileCache.CAFFEINE_CLASSES).contains(node.getClass().getName());
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            for (java.lang.reflect.Field field : type.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    field.setAccessible(true);
                    return field.get(owner);
                }
            }
        }
        throw new NoSuchFieldException(owner.getClass() + "." + name);
    }

    @Test
    void aLookupWithoutContentIsNotKept() {
        LocalFileCache cache = new LocalFileCache(Duration.ofMinutes(1), 1 << 20, nanos::get);
        cache.put("/big.iso", new FileLookup.Found(file("/big.iso", 10).file()));
        assertThat(cache.get("/big.iso")).isNull();
    }

    @Test
    void keepsWithinItsMemoryBound() {
        long bound = 64 * 1024;
        LocalFileCache cache = new LocalFileCache(Duration.ofMinutes(1), bound, nanos::get);
        for (int i = 0; i < 100; i++) {
            cache.put("/f" + i, file("/f" + i, 4096));
        }
        long weight = cache.weight();
        assertThat(weight).isLessThanOrEqualTo(bound);
        // the bound is used, not left empty: fourteen 4 KiB files and their overhead fit in 64 KiB
        assertThat(weight).isGreaterThan(bound - 2 * (4096 + 512));
        long kept = java.util.stream.IntStream.range(0, 100).filter(i -> cache.get("/f" + i) != null).count();
        assertThat(kept).isBetween(10L, 15L);
    }
}
