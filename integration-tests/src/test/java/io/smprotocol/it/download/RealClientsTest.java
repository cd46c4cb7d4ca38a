package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * Real download clients, started from PATH: interrupted (killed mid-transfer) and resumed downloads with curl and
 * wget, and aria2c's segmented download over eight connections, each file byte-identical to the original.
 */
@QuarkusTest
class RealClientsTest {

    /** Larger than what loopback socket buffers absorb (up to 32 MiB of receive buffer here), so a kill interrupts. */
    static final int SIZE = 64 * 1024 * 1024;

    @Inject
    DownloadServer server;
    @Inject
    RecordingObserver observer;

    @TempDir
    Path downloads;

    static String sha256;

    @BeforeEach
    void files() throws IOException {
        if (sha256 == null) {
            sha256 = TestFiles.sha256(TestFiles.random(server.root().resolve("clients/big.bin"), SIZE, 7));
            TestFiles.random(server.root().resolve("clients/segmented.bin"), 12 * 1024 * 1024, 8);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void curlResumesAnInterruptedDownload() throws Exception {
        Programs.require("curl", "curl");
        Path out = downloads.resolve("big.bin");
        String path = "/clients/big.bin";
        int before = observer.ended(path).size();
        // a slow client, killed once a part of the file has arrived
        Process slow = start(List.of("curl", "-sS", "--limit-rate", "1M", "-A", "curl-test", "-o", out.toString(),
                url(path)));
        awaitPartialThenKill(slow, out);
        long partial = Files.size(out);
        assertThat(partial).isBetween(1L, SIZE - 1L);

        assertThat(run(List.of("curl", "-sS", "-f", "-A", "curl-test", "-C", "-", "-o", out.toString(), url(path))))
                .isZero();
        assertThat(TestFiles.sha256(out)).isEqualTo(sha256);

        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended(path).size() >= before + 2);
        List<RecordingObserver.Seen> seen = observer.ended(path).subList(before, before + 2);
        RecordingObserver.Seen first = seen.get(0);
        RecordingObserver.Seen resumed = seen.get(1);
        assertThat(first.end().reason()).isEqualTo(DownloadEndReason.CLIENT_ABORTED);
        // the server counts what the connection took, at least what curl had written
        assertThat(first.end().bytesWritten()).isBetween(partial, SIZE - 1L);
        assertThat(resumed.request().status()).isEqualTo(206);
        assertThat(resumed.request().ranges()).containsExactly(new ByteRange(partial, SIZE - 1));
        assertThat(resumed.end().reason()).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(resumed.end().bytesWritten()).isEqualTo(SIZE - partial);
        // one logical download
        assertThat(resumed.request().downloadId()).isEqualTo(first.request().downloadId());
    }

    @Test
    void wgetContinuesAnInterruptedDownload() throws Exception {
        Programs.require("wget", "wget");
        Path out = downloads.resolve("big.bin");
        Process slow = start(List.of("wget", "-q", "--limit-rate=1m", "-P", downloads.toString(),
                url("/clients/big.bin")));
        awaitPartialThenKill(slow, out);
        assertThat(Files.size(out)).isBetween(1L, SIZE - 1L);

        assertThat(run(List.of("wget", "-q", "-c", "-P", downloads.toString(), url("/clients/big.bin")))).isZero();
        assertThat(TestFiles.sha256(out)).isEqualTo(sha256);
    }

    @Test
    void aria2cDownloadsOverEightConnections() throws Exception {
        Programs.require("aria2c", "aria2");
        Path source = server.root().resolve("clients/segmented.bin");
        String expected = TestFiles.sha256(source);
        String path = "/clients/segmented.bin";
        int exit = run(List.of("aria2c", "-q", "-x8", "-s8", "-k1M", "--checksum=sha-256=" + expected,
                "--allow-overwrite=true", "--auto-file-renaming=false", "--file-allocation=none",
                "-U", "aria2c-test", "-d", downloads.toString(), "-o", "segmented.bin", url(path)));
        // aria2c exits non-zero when its own checksum check fails
        assertThat(exit).isZero();
        assertThat(TestFiles.sha256(downloads.resolve("segmented.bin"))).isEqualTo(expected);

        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended(path).stream()
                .anyMatch(s -> "aria2c-test".equals(s.request().userAgent())));
        List<RecordingObserver.Seen> requests = observer.ended(path).stream()
                .filter(s -> "aria2c-test".equals(s.request().userAgent())).toList();
        assertThat(requests.size()).as("aria2c segments").isGreaterThan(1);
        // every answered segment belongs to one download; aria2c may drop its first connection before it is answered
        // (status 0: nothing was served, so no download id)
        assertThat(requests.stream().filter(s -> s.request().status() != 0).map(s -> s.request().downloadId())
                .distinct()).singleElement().isNotNull();
        assertThat(requests.stream().filter(s -> s.request().status() == 0))
                .allSatisfy(s -> assertThat(s.request().downloadId()).isNull());
    }

    private static void awaitPartialThenKill(Process process, Path out) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(out) && Files.size(out) >= 1024 * 1024);
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private Process start(List<String> command) throws IOException {
        File log = downloads.resolve("client-" + System.nanoTime() + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private int run(List<String> command) throws Exception {
        Process process = start(new ArrayList<>(command));
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        return process.exitValue();
    }
}
