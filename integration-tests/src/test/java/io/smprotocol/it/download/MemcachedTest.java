package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.download.Delivery;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.memcached.Memcached;

/**
 * The memcached cache and the unique-ip state in memcached, against a real memcached the test starts: hits and
 * misses, values checked in memcached itself, a changed file served fresh, and memcached stopped mid-test with
 * downloads still succeeding.
 */
@QuarkusTest
@QuarkusTestResource(value = MemcachedResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemcachedTest {

    static final int SMALL = 200 * 1024;
    static final int BIG = 64 * 1024 * 1024;

    @Inject
    DownloadServer server;
    @Inject
    Memcached memcached;
    @Inject
    RecordingObserver observer;

    static byte[] small;

    @BeforeEach
    void files() throws IOException {
        MemcachedResource.requireMemcached();
        if (small == null) {
            small = TestFiles.random(server.root().resolve("small.bin"), SMALL, 21);
            TestFiles.random(server.root().resolve("big.bin"), BIG, 22);
        }
    }

    @Test
    @Order(1)
    void cachesSmallFilesUnderPathAndEtag() throws IOException {
        long misses = server.cacheMisses();
        long hits = server.cacheHits();
        RawHttp.Response first = RawHttp.get(server.port(), "/small.bin", "User-Agent: cache-1");
        assertThat(first.body()).isEqualTo(small);
        assertThat(server.cacheMisses()).isEqualTo(misses + 1);

        // the value in memcached is the file, under a key made of path and ETag
        String key = memcached.key("file", "/small.bin", first.header("ETag"));
        await().atMost(Duration.ofSeconds(5)).until(() -> memcachedGet(key) != null);
        assertThat(memcachedGet(key)).isEqualTo(small);

        RawHttp.Response second = RawHttp.get(server.port(), "/small.bin", "User-Agent: cache-2");
        assertThat(second.body()).isEqualTo(small);
        assertThat(second.headersWithoutDate()).isEqualTo(first.headersWithoutDate());
        assertThat(server.cacheHits()).isEqualTo(hits + 1);
        RawHttp.Response range = RawHttp.get(server.port(), "/small.bin", "Range: bytes=1000-1999");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(small, 1000, 2000));
        assertThat(server.cacheHits()).isEqualTo(hits + 2);

        await().atMost(Duration.ofSeconds(5)).until(() -> observer.ended("/small.bin").stream()
                .anyMatch(s -> "cache-2".equals(s.request().userAgent())));
        assertThat(observer.ended("/small.bin").stream().filter(s -> "cache-2".equals(s.request().userAgent()))
                .findFirst().orElseThrow().request().delivery()).isEqualTo(Delivery.CACHE);
        // files over cache.max-size are not cached
        long missesBefore = server.cacheMisses();
        assertThat(RawHttp.get(server.port(), "/big.bin", "Range: bytes=0-99").status()).isEqualTo(206);
        assertThat(server.cacheMisses()).isEqualTo(missesBefore);
    }

    @Test
    @Order(2)
    void aChangedFileIsServedFresh() throws IOException {
        RawHttp.get(server.port(), "/small.bin");
        Path file = server.root().resolve("small.bin");
        FileTime before = Files.getLastModifiedTime(file);
        // same size, new content: only the ETag (time, inode) tells them apart
        byte[] changed = TestFiles.random(file, SMALL, 99);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 10_000));
        long misses = server.cacheMisses();
        RawHttp.Response response = RawHttp.get(server.port(), "/small.bin");
        assertThat(response.body()).isEqualTo(changed).isNotEqualTo(small);
        assertThat(server.cacheMisses()).isEqualTo(misses + 1);
        assertThat(RawHttp.get(server.port(), "/small.bin").body()).isEqualTo(changed);
        small = changed;
    }

    @Test
    @Order(3)
    void uniqueIpStateLivesInMemcached() throws IOException {
        String key = memcached.key("uip", "127.0.0.1", "/big.bin");
        try (RawHttp first = new RawHttp(server.port())) {
            first.sendOnly("GET", "/big.bin");
            assertThat(first.readHead().status()).isEqualTo(200);
            first.input().readNBytes(1000);
            assertThat(memcachedGet(key)).isEqualTo("1".getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.get(server.port(), "/big.bin").status()).isEqualTo(503);
        }
        // the lease is deleted when the download ends
        await().atMost(Duration.ofSeconds(10)).until(() -> memcachedGet(key) == null);
        assertThat(RawHttp.get(server.port(), "/big.bin", "Range: bytes=0-9").status()).isEqualTo(206);
    }

    @Test
    @Order(4)
    void downloadsSucceedWhenMemcachedStops() throws Exception {
        MemcachedResource.kill();
        long errors = server.cacheErrors();
        for (int i = 0; i < 3; i++) {
            RawHttp.Response response = RawHttp.get(server.port(), "/small.bin");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(small);
        }
        assertThat(server.cacheErrors()).isGreaterThan(errors);
        // unique-ip falls back to memory: a download is still admitted, and a parallel one still refused
        try (RawHttp first = new RawHttp(server.port())) {
            first.sendOnly("GET", "/big.bin");
            assertThat(first.readHead().status()).isEqualTo(200);
            first.input().readNBytes(1000);
            assertThat(RawHttp.get(server.port(), "/big.bin").status()).isEqualTo(503);
        }
        RawHttp.Response range = RawHttp.get(server.port(), "/big.bin", "Range: bytes=-10");
        assertThat(range.status()).isIn(206, 503);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RawHttp.get(server.port(), "/big.bin", "Range: bytes=-10").status() == 206);
    }

    /** A plain text-protocol get, to look into memcached itself. */
    private static byte[] memcachedGet(String key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", MemcachedResource.port())) {
            socket.getOutputStream().write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String line = line(in);
            if (line.equals("END")) {
                return null;
            }
            int length = Integer.parseInt(line.split(" ")[3]);
            byte[] value = in.readNBytes(length);
            return value;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("memcached closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
