package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.ListenerState;
import io.smprotocol.download.Delivery;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * The limits: a per-connection rate limit, one download per client address and file (unique-ip, with the client
 * address taken from X-Forwarded-For of a trusted proxy), the idle timeout, and a restart while a download runs.
 */
@QuarkusTest
@TestProfile(LimitsTest.Profile.class)
class LimitsTest {

    static final int RATE = 1024 * 1024;
    static final int SIZE = 3 * 1024 * 1024;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.smprotocol.download.root", "target/dl-limits",
                    "quarkus.smprotocol.download.rate-limit", "1M",
                    "quarkus.smprotocol.download.unique-ip", "true",
                    "quarkus.smprotocol.download.trusted-proxies", "127.0.0.1/32",
                    "quarkus.smprotocol.download.idle-timeout", "2S");
        }
    }

    @Inject
    DownloadServer server;
    @Inject
    RecordingObserver observer;

    @TempDir
    Path temp;

    static byte[] content;

    @BeforeEach
    void files() throws IOException {
        if (content == null) {
            content = TestFiles.random(server.root().resolve("limited.bin"), SIZE, 11);
            TestFiles.random(server.root().resolve("other.bin"), SIZE, 12);
            TestFiles.random(server.root().resolve("segmented.bin"), SIZE, 13);
            TestFiles.random(server.root().resolve("idle.bin"), 32 * 1024 * 1024, 14);
        }
    }

    @Test
    void rateLimitHoldsBytesPerSecond() throws IOException {
        long start = System.nanoTime();
        RawHttp.Response response = RawHttp.get(server.port(), "/other.bin", "User-Agent: rate-test");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(response.body()).hasSize(SIZE);
        double rate = SIZE / seconds;
        assertThat(rate).as("bytes per second").isBetween(0.5 * RATE, 1.5 * RATE);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended("/other.bin").stream()
                .anyMatch(s -> "rate-test".equals(s.request().userAgent())));
        assertThat(observer.ended("/other.bin").stream().filter(s -> "rate-test".equals(s.request().userAgent()))
                .findFirst().orElseThrow().request().delivery()).isEqualTo(Delivery.DISK_BLOCKS);
    }

    @Test
    void uniqueIpAllowsOneDownloadPerAddressAndFile() throws IOException {
        try (RawHttp first = new RawHttp(server.port())) {
            first.sendOnly("GET", "/limited.bin", "User-Agent: unique-first");
            RawHttp.Response head = first.readHead();
            assertThat(head.status()).isEqualTo(200);
            byte[] begin = first.input().readNBytes(1000);

            // the same address, the same file: 503 with Retry-After, as nginx's limit_conn
            RawHttp.Response second = RawHttp.get(server.port(), "/limited.bin");
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.header("Retry-After")).isEqualTo("5");
            assertThat(second.text()).startsWith("503 Service Unavailable");
            // a HEAD is no download
            assertThat(RawHttp.request(server.port(), "HEAD", "/limited.bin").status()).isEqualTo(200);
            // another client behind the trusted proxy, or another file: served
            assertThat(RawHttp.get(server.port(), "/limited.bin", "X-Forwarded-For: 198.51.100.7",
                    "Range: bytes=0-9").status()).isEqualTo(206);
            assertThat(RawHttp.get(server.port(), "/limited.bin", "Forwarded: for=\"[2001:db8::7]:4000\"",
                    "Range: bytes=0-9").status()).isEqualTo(206);
            assertThat(RawHttp.get(server.port(), "/other.bin", "Range: bytes=0-9").status()).isEqualTo(206);
            // the same forwarded client twice at once is refused like a direct one
            try (RawHttp proxied = new RawHttp(server.port())) {
                proxied.sendOnly("GET", "/limited.bin", "X-Forwarded-For: 198.51.100.8");
                assertThat(proxied.readHead().status()).isEqualTo(200);
                assertThat(RawHttp.get(server.port(), "/limited.bin", "X-Forwarded-For: 198.51.100.8").status())
                        .isEqualTo(503);
            }

            // the first download is never cut
            byte[] rest = first.input().readNBytes(SIZE - begin.length);
            byte[] all = new byte[SIZE];
            System.arraycopy(begin, 0, all, 0, begin.length);
            System.arraycopy(rest, 0, all, begin.length, rest.length);
            assertThat(all).isEqualTo(content);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended("/limited.bin").stream()
                .anyMatch(s -> "unique-first".equals(s.request().userAgent())));
        RecordingObserver.Seen first = observer.ended("/limited.bin").stream()
                .filter(s -> "unique-first".equals(s.request().userAgent())).findFirst().orElseThrow();
        assertThat(first.end().reason()).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(first.end().bytesWritten()).isEqualTo(SIZE);
        assertThat(observer.ended("/limited.bin").stream().filter(s -> s.request().status() == 503)
                .map(s -> s.end().reason())).contains(DownloadEndReason.REJECTED);
        assertThat(observer.started("/limited.bin").stream().map(r -> r.client().ip()))
                .contains("198.51.100.7", "2001:db8::7", "127.0.0.1");
        // once it ended, the address may download the file again
        await().atMost(Duration.ofSeconds(5)).until(
                () -> RawHttp.get(server.port(), "/limited.bin", "Range: bytes=0-9").status() == 206);
    }

    @Test
    void aria2cFinishesOnItsFirstConnection() throws Exception {
        Programs.require("aria2c", "aria2");
        String expected = TestFiles.sha256(server.root().resolve("segmented.bin"));
        File log = temp.resolve("aria2c.log").toFile();
        Process aria2c = new ProcessBuilder("aria2c", "-x8", "-s8", "-k1M", "--checksum=sha-256=" + expected,
                "--allow-overwrite=true", "--auto-file-renaming=false", "--file-allocation=none", "-U", "aria2c-unique",
                "-d", temp.toString(), "-o", "segmented.bin",
                "http://127.0.0.1:" + server.port() + "/segmented.bin")
                .redirectErrorStream(true).redirectOutput(log).start();
        assertThat(aria2c.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(aria2c.exitValue()).as(java.nio.file.Files.readString(log.toPath())).isZero();
        assertThat(TestFiles.sha256(temp.resolve("segmented.bin"))).isEqualTo(expected);
        List<RecordingObserver.Seen> seen = observer.ended("/segmented.bin").stream()
                .filter(s -> "aria2c-unique".equals(s.request().userAgent())).toList();
        // its extra connections were turned away while one of its downloads ran
        assertThat(seen).anyMatch(s -> s.request().status() == 503);
        assertThat(seen.stream().filter(s -> s.end().reason() == DownloadEndReason.COMPLETED)
                .mapToLong(s -> s.end().bytesWritten()).sum()).isGreaterThanOrEqualTo(SIZE);
    }

    @Test
    void idleClientsAreClosedWithTheirReason() throws IOException {
        try (Socket socket = new Socket()) {
            // a client that asks and never reads: the server's writes stall, then the idle timeout closes it
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream().write(("GET /idle.bin HTTP/1.1\r\nHost: x\r\nUser-Agent: idle-test\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(60)).until(() -> observer.ended("/idle.bin").stream()
                    .anyMatch(s -> "idle-test".equals(s.request().userAgent())));
        }
        RecordingObserver.Seen seen = observer.ended("/idle.bin").stream()
                .filter(s -> "idle-test".equals(s.request().userAgent())).findFirst().orElseThrow();
        assertThat(seen.end().reason()).isEqualTo(DownloadEndReason.IDLE_TIMEOUT);
        assertThat(seen.end().bytesWritten()).isBetween(1L, 32L * 1024 * 1024 - 1);
    }

    @Test
    void restartEndsRunningDownloadsWithItsReason() throws Exception {
        int before = server.port();
        try (RawHttp client = new RawHttp(server.port())) {
            client.sendOnly("GET", "/other.bin", "User-Agent: restart-test");
            assertThat(client.readHead().status()).isEqualTo(200);
            client.input().readNBytes(1000);
            server.restart().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            // the connection was closed by the server
            InputStream in = client.input();
            assertThat(in.readAllBytes().length).isLessThan(SIZE);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended("/other.bin").stream()
                .anyMatch(s -> "restart-test".equals(s.request().userAgent())));
        RecordingObserver.Seen seen = observer.ended("/other.bin").stream()
                .filter(s -> "restart-test".equals(s.request().userAgent())).findFirst().orElseThrow();
        assertThat(seen.end().reason()).isEqualTo(DownloadEndReason.SERVER_RESTART);
        assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
        assertThat(server.port()).isPositive().isNotEqualTo(-1);
        assertThat(before).isPositive();
        assertThat(RawHttp.get(server.port(), "/other.bin", "Range: bytes=0-9").status()).isEqualTo(206);
        // restarts in a row, whichever thread completes them
        for (int i = 0; i < 3; i++) {
            server.restart().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
            assertThat(RawHttp.get(server.port(), "/other.bin", "Range: bytes=0-9").status()).isEqualTo(206);
        }
    }
}
