package io.smprotocol.downloads.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smprotocol.downloads.runtime.semantics.RequestPath;

/**
 * A kept copy of a small file is answered only while the file system says the file is the one it was read from, by
 * a stamp that includes the status-change time, and only when that time had settled before the read.
 */
class PathResolverKeptCopyTest {

    @TempDir
    Path root;

    /** A resolver whose clock runs ahead, as if each file had been written well before it was looked up. */
    private PathResolver settledResolver() {
        return new PathResolver(root, false, () -> System.currentTimeMillis() + 60_000);
    }

    private static FileLookup.Found lookUp(PathResolver resolver, String path, FileLookup.Found kept)
            throws RequestPath.InvalidPathException {
        FileLookup lookup = resolver.lookup(RequestPath.parse(path), size -> true, kept);
        assertThat(lookup).isInstanceOf(FileLookup.Found.class);
        return (FileLookup.Found) lookup;
    }

    private static String text(FileLookup.Found found) {
        return found.content().toString(StandardCharsets.UTF_8);
    }

    private static long ctime(Path file) throws Exception {
        return ((FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS))
                .to(TimeUnit.NANOSECONDS);
    }

    @Test
    void anUnchangedFileIsAnsweredWithTheKeptCopy() throws Exception {
        Files.writeString(root.resolve("a.txt"), "hello", StandardCharsets.UTF_8);
        PathResolver resolver = settledResolver();
        FileLookup.Found read = lookUp(resolver, "/a.txt", null);
        assertThat(text(read)).isEqualTo("hello");
        assertThat(read.stamp().settled()).isTrue();
        assertThat(lookUp(resolver, "/a.txt", read)).isSameAs(read);
    }

    /**
     * The same size, the same modification time set back ({@code touch -r}, {@code cp -p}) and the same inode: only
     * the status-change time tells the new content from the kept one.
     */
    @Test
    void aRewriteThatKeepsSizeAndModificationTimeIsReadAnew() throws Exception {
        Path file = root.resolve("b.txt");
        Files.writeString(file, "first", StandardCharsets.UTF_8);
        FileTime modified = Files.getLastModifiedTime(file);
        Object inode = Files.readAttributes(file, "unix:ino").get("ino");
        PathResolver resolver = settledResolver();
        FileLookup.Found kept = lookUp(resolver, "/b.txt", null);
        long keptCtime = kept.stamp().changedNanos();
        // rewrite until the file system's clock has moved on from the first write's tick
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
            Files.writeString(file, "other", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, modified);
            return ctime(file) != keptCtime;
        });
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
        assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isEqualTo(inode);

        FileLookup.Found now = lookUp(resolver, "/b.txt", kept);
        assertThat(now).isNotSameAs(kept);
        assertThat(text(now)).isEqualTo("other");
        // and a new entity tag: a resume with If-Range does not join the two contents
        assertThat(now.file().etag()).isNotEqualTo(kept.file().etag());
    }

    @Test
    void aCopyReadWhileTheFileStillChangedIsNotTrusted() throws Exception {
        Files.writeString(root.resolve("c.txt"), "fresh", StandardCharsets.UTF_8);
        PathResolver resolver = new PathResolver(root, false);
        FileLookup.Found read = lookUp(resolver, "/c.txt", null);
        assertThat(read.stamp().settled()).isFalse();
        FileLookup.Found again = lookUp(resolver, "/c.txt", read);
        assertThat(again).isNotSameAs(read);
        assertThat(text(again)).isEqualTo("fresh");
    }

    @Test
    void aKeptCopyIsNotAnsweredForAnotherFileAtThePath() throws Exception {
        Path file = root.resolve("d.txt");
        Files.writeString(file, "one", StandardCharsets.UTF_8);
        PathResolver resolver = settledResolver();
        FileLookup.Found kept = lookUp(resolver, "/d.txt", null);
        Path replacement = root.resolve("d.txt.new");
        Files.writeString(replacement, "two", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(replacement, Files.getLastModifiedTime(file));
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(text(lookUp(resolver, "/d.txt", kept))).isEqualTo("two");
        Files.delete(file);
        assertThat(resolver.lookup(RequestPath.parse("/d.txt"), size -> true, kept))
                .isInstanceOf(FileLookup.NotFound.class);
    }
}
