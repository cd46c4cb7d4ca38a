package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * As shipped, a small file is answered from memory once it has not changed for a while, and only while the file
 * system says it is unchanged: a rewrite is served at once, with a new entity tag, even one that keeps the size and
 * sets the modification time back.
 */
@QuarkusTest
class KeptSmallFilesTest {

    @Inject
    DownloadServer server;

    @Test
    void aKeptFileIsAnsweredFromMemoryOnlyWhileItIsUnchanged() throws Exception {
        Path file = server.root().resolve("kept.bin");
        byte[] first = TestFiles.random(file, 4000, 31);
        long hits = server.localCacheHits();
        // each request reads the file until its last change is two seconds old; then the copy is kept and answered
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(RawHttp.get(server.port(), "/kept.bin").body()).isEqualTo(first);
            return server.localCacheHits() > hits;
        });
        long kept = server.localCacheHits();
        RawHttp.Response fromMemory = RawHttp.get(server.port(), "/kept.bin");
        assertThat(fromMemory.body()).isEqualTo(first);
        assertThat(server.localCacheHits()).isEqualTo(kept + 1);
        String etag = fromMemory.header("ETag");

        FileTime modified = Files.getLastModifiedTime(file);
        byte[] second = TestFiles.random(file, 4000, 32);
        Files.setLastModifiedTime(file, modified);
        RawHttp.Response rewritten = RawHttp.get(server.port(), "/kept.bin");
        assertThat(rewritten.status()).isEqualTo(200);
        assertThat(rewritten.body()).isEqualTo(second);
        assertThat(server.localCacheHits()).isEqualTo(kept + 1);
        // a new entity tag: neither a conditional GET nor a resume takes the new bytes for the old
        assertThat(rewritten.header("ETag")).isNotEqualTo(etag);
        assertThat(RawHttp.get(server.port(), "/kept.bin", "If-None-Match: " + etag).status()).isEqualTo(200);
        RawHttp.Response resumed = RawHttp.get(server.port(), "/kept.bin", "Range: bytes=2000-", "If-Range: " + etag);
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body()).isEqualTo(second);

        Files.delete(file);
        assertThat(RawHttp.get(server.port(), "/kept.bin").status()).isEqualTo(404);
    }
}
