package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.download.Delivery;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * With {@code local-cache.ttl} set, a small file is served as it was read, headers and bytes together, until its
 * entry expires or the listener restarts; larger files are looked at on every request; every cached answer is still
 * a tracked download.
 */
@QuarkusTest
@TestProfile(LocalCacheTest.Profile.class)
class LocalCacheTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // an hour: nothing in this test expires by itself
            return Map.of("quarkus.smprotocol.download.root", "target/dl-local-cache",
                    "quarkus.smprotocol.download.local-cache.ttl", "1H");
        }
    }

    @Inject
    DownloadServer server;

    @Inject
    ProtocolManager manager;

    @Inject
    RecordingObserver observer;

    @Test
    void servesTheVersionItReadTogetherWithItsHeadersUntilTheListenerRestarts() throws Exception {
        Path file = server.root().resolve("cached.bin");
        byte[] first = TestFiles.random(file, 3000, 1);
        RawHttp.Response read = RawHttp.get(server.port(), "/cached.bin");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(first);
        String etag = read.header("ETag");
        long hits = server.localCacheHits();

        byte[] second = TestFiles.random(file, 5000, 2);
        RawHttp.Response whole = RawHttp.get(server.port(), "/cached.bin");
        assertThat(whole.body()).isEqualTo(first);
        assertThat(whole.header("ETag")).isEqualTo(etag);
        assertThat(whole.header("Content-Length")).isEqualTo("3000");
        RawHttp.Response range = RawHttp.get(server.port(), "/cached.bin", "Range: bytes=2990-4000",
                "If-Range: " + etag);
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 2990-2999/3000");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(first, 2990, 3000));
        RawHttp.Response head = RawHttp.request(server.port(), "HEAD", "/cached.bin");
        assertThat(head.header("Content-Length")).isEqualTo("3000");
        assertThat(RawHttp.get(server.port(), "/cached.bin", "If-None-Match: " + etag).status()).isEqualTo(304);
        assertThat(server.localCacheHits()).isEqualTo(hits + 4);

        manager.restart("download").toCompletableFuture().get(30, TimeUnit.SECONDS);
        RawHttp.Response fresh = RawHttp.get(server.port(), "/cached.bin");
        assertThat(fresh.body()).isEqualTo(second);
        assertThat(fresh.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void aRemovedFileIsServedUntilItsEntryGoesAndLargerFilesAreLookedAtEachTime() throws Exception {
        Path small = server.root().resolve("removed.txt");
        Files.writeString(small, "still here\n");
        assertThat(RawHttp.get(server.port(), "/removed.txt").text()).isEqualTo("still here\n");
        Files.delete(small);
        assertThat(RawHttp.get(server.port(), "/removed.txt").text()).isEqualTo("still here\n");

        Path large = server.root().resolve("large.bin");
        TestFiles.random(large, 64 * 1024, 3);
        assertThat(RawHttp.get(server.port(), "/large.bin").status()).isEqualTo(200);
        byte[] changed = TestFiles.random(large, 64 * 1024, 4);
        assertThat(RawHttp.get(server.port(), "/large.bin").body()).isEqualTo(changed);
        Files.delete(large);
        assertThat(RawHttp.get(server.port(), "/large.bin").status()).isEqualTo(404);
    }

    @Test
    void everyCachedAnswerIsATrackedDownload() throws IOException {
        TestFiles.random(server.root().resolve("tracked.bin"), 1000, 5);
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.get(server.port(), "/tracked.bin", "Range: bytes=" + i * 100 + "-" + (i * 100 + 99))
                    .status()).isEqualTo(206);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended("/tracked.bin").size() == 5);
        List<RecordingObserver.Seen> ended = observer.ended("/tracked.bin");
        assertThat(ended).allSatisfy(seen -> {
            assertThat(seen.end().reason()).isEqualTo(DownloadEndReason.COMPLETED);
            assertThat(seen.end().bytesWritten()).isEqualTo(100);
            assertThat(seen.request().delivery()).isEqualTo(Delivery.MEMORY);
        });
    }
}
