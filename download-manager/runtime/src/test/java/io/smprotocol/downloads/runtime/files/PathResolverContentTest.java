package io.smprotocol.downloads.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smprotocol.downloads.runtime.semantics.RequestPath;

/** A small file read with its lookup is used only when it is still the file the lookup found. */
class PathResolverContentTest {

    @TempDir
    Path root;

    FileLookup.Found lookUp(PathResolver resolver, String path) throws RequestPath.InvalidPathException {
        FileLookup lookup = resolver.lookup(RequestPath.parse(path), size -> false);
        assertThat(lookup).isInstanceOf(FileLookup.Found.class);
        return (FileLookup.Found) lookup;
    }

    @Test
    void readsAnUnchangedFileWhole() throws Exception {
        Files.writeString(root.resolve("a.txt"), "hello", StandardCharsets.UTF_8);
        PathResolver resolver = new PathResolver(root, false);
        FileLookup.Found found = lookUp(resolver, "/a.txt");
        assertThat(found.content()).isNull();
        FileLookup.Found read = (FileLookup.Found) resolver.withContent(found);
        assertThat(read.file()).isEqualTo(found.file());
        assertThat(read.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void aLookupReadsWholeTheSizesItIsAskedTo() throws Exception {
        Files.writeString(root.resolve("small.txt"), "small", StandardCharsets.UTF_8);
        Files.writeString(root.resolve("large.txt"), "a larger file", StandardCharsets.UTF_8);
        PathResolver resolver = new PathResolver(root, false);
        FileLookup small = resolver.lookup(RequestPath.parse("/small.txt"), size -> size <= 5);
        assertThat(((FileLookup.Found) small).content().toString(StandardCharsets.UTF_8)).isEqualTo("small");
        FileLookup large = resolver.lookup(RequestPath.parse("/large.txt"), size -> size <= 5);
        assertThat(((FileLookup.Found) large).content()).isNull();
        assertThat(((FileLookup.Found) large).file().size()).isEqualTo(13);
        assertThat(resolver.lookup(RequestPath.parse("/none.txt"), size -> true))
                .isInstanceOf(FileLookup.NotFound.class);
    }

    @Test
    void leavesAFileThatChangedAfterItsLookupToBeSentFromDisk() throws Exception {
        Path file = root.resolve("b.txt");
        Files.writeString(file, "first", StandardCharsets.UTF_8);
        PathResolver resolver = new PathResolver(root, false);
        FileLookup.Found found = lookUp(resolver, "/b.txt");
        // same size, another content and time: the entity tag found no longer describes it
        Files.writeString(file, "other", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertThat(resolver.withContent(found)).isSameAs(found);
        // grown
        found = lookUp(resolver, "/b.txt");
        Files.writeString(file, "other and more", StandardCharsets.UTF_8);
        assertThat(resolver.withContent(found)).isSameAs(found);
        // gone
        found = lookUp(resolver, "/b.txt");
        Files.delete(file);
        assertThat(resolver.withContent(found)).isSameAs(found);
    }
}
