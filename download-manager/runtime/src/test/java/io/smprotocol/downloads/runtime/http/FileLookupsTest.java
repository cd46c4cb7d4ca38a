package io.smprotocol.downloads.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smprotocol.downloads.runtime.files.FileLookup;
import io.smprotocol.downloads.runtime.files.PathResolver;
import io.smprotocol.downloads.runtime.policy.OnContext;
import io.smprotocol.downloads.runtime.semantics.RequestPath;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * A file lookup runs on a worker, never on the event loop that asked, is told back on the connection's context, and
 * sees the file as it is now: a change on disk is never served stale.
 */
class FileLookupsTest {

    @TempDir
    Path root;
    Vertx vertx;
    Context context;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        Files.writeString(root.resolve("file.txt"), "first");
    }

    @AfterEach
    void stop() throws Exception {
        OnContext.close(vertx);
    }

    /** What one lookup told, and whether it was told before {@code lookUp} returned (it ran on the event loop). */
    record Told(FileLookup lookup, boolean inPlace, boolean onTheContext) {
    }

    private Told lookUp(FileLookups lookups) throws Exception {
        CompletableFuture<Told> told = new CompletableFuture<>();
        RequestPath path = RequestPath.parse("/file.txt");
        context.runOnContext(v -> {
            boolean[] returned = { false };
            lookups.lookUp(path, true, context,
                    lookup -> told.complete(new Told(lookup, !returned[0], Vertx.currentContext() == context)),
                    told::completeExceptionally);
            returned[0] = true;
        });
        return told.get(10, TimeUnit.SECONDS);
    }

    private FileLookups lookups() {
        DownloadSettings settings = new DownloadSettings(new PathResolver(root, false), null, null, false, null, 1,
                null, null, null, 16, 64 * 1024, 0, 0, 0);
        return new FileLookups(settings, vertx);
    }

    private static String content(Told told) {
        return ((FileLookup.Found) told.lookup()).content().toString();
    }

    @Test
    void aLookupRunsOnAWorkerAndIsToldOnTheContext() throws Exception {
        FileLookups lookups = lookups();
        for (int i = 0; i < 3; i++) {
            Told told = lookUp(lookups);
            assertThat(told.inPlace()).as("not on the event loop").isFalse();
            assertThat(told.onTheContext()).as("told back on the connection's context").isTrue();
            assertThat(content(told)).isEqualTo("first");
        }
    }

    @Test
    void eachLookupSeesTheFileAsItIsNow() throws Exception {
        FileLookups lookups = lookups();
        assertThat(content(lookUp(lookups))).isEqualTo("first");
        Files.writeString(root.resolve("file.txt"), "second, longer");
        assertThat(content(lookUp(lookups))).isEqualTo("second, longer");
    }
}
