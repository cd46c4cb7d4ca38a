package io.smprotocol.it.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;

/**
 * The packaged application in processes of its own: a download in flight when the process is killed with
 * {@code kill -9} is recorded as {@code INTERRUPTED} at the next start, with what had been delivered; one in flight
 * at a graceful shutdown as {@code SERVER_SHUTDOWN}. The records survive in the embedded MongoDB's files.
 */
class ProcessLifecycleIT {

    static final int SIZE = 64 * 1024 * 1024;
    static final Pattern DOWNLOAD_PORT = Pattern.compile("\\[download\\] Listening on 127\\.0\\.0\\.1:(\\d+)");
    static final Pattern HTTP_PORT = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record App(Process process, Path log, int downloadPort, int httpPort) {
    }

    App start() throws Exception {
        Path jar = Path.of(System.getProperty("smprotocol.app.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar).exists();
        Path log = dir.resolve("app-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dquarkus.smprotocol.protocols.smtp.port=0", "-Dquarkus.smprotocol.protocols.ping.port=0",
                "-Dquarkus.smprotocol.protocols.redis-proxy.port=0",
                "-Dquarkus.smprotocol.download.port=0",
                "-Dquarkus.smprotocol.download.root=" + dir.resolve("downloads"),
                "-Dquarkus.smprotocol.download.rate-limit=2M",
                "-Dquarkus.smprotocol.embedded-mongo.data-dir=" + dir.resolve("data"),
                "-Dquarkus.smprotocol.tracking.journal-dir=" + dir.resolve("data/journal"),
                "-Dquarkus.smprotocol.tracking.flush-interval=1S",
                "-Dquarkus.smprotocol.node-name=lifecycle",
                "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int[] ports = new int[2];
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the application exited: " + Files.readString(log));
                }
                String text = Files.readString(log);
                Matcher download = DOWNLOAD_PORT.matcher(text);
                Matcher http = HTTP_PORT.matcher(text);
                if (download.find() && http.find()) {
                    ports[0] = Integer.parseInt(download.group(1));
                    ports[1] = Integer.parseInt(http.group(1));
                    return true;
                }
                return false;
            });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return new App(process, log, ports[0], ports[1]);
    }

    static JsonNode downloads(App app, String file) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.httpPort() + "/smprotocol/api/downloads?file="
                        + URLEncoder.encode(file, StandardCharsets.UTF_8)))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("downloads");
    }

    /** Starts a throttled download and reads it until a few seconds of it went out; the socket stays open. */
    static RawHttp downloading(App app, String path, String agent) throws IOException {
        RawHttp client = new RawHttp(app.downloadPort());
        client.sendOnly("GET", path, "User-Agent: " + agent);
        assertThat(client.readHead().status()).isEqualTo(200);
        InputStream in = client.input();
        // 2M/s: three seconds of progress, journaled as it goes
        assertThat(in.readNBytes(6 * 1024 * 1024)).hasSize(6 * 1024 * 1024);
        return client;
    }

    static void stop(Process process, boolean kill) throws InterruptedException {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void downloadsInFlightAreInterruptedByKillAndShutDownByAGracefulStop() throws Exception {
        TestFiles.random(dir.resolve("downloads/big.bin"), SIZE, 51);
        List<Process> started = new ArrayList<>();
        try {
            // kill -9 in the middle of a download
            App first = start();
            started.add(first.process());
            try (RawHttp client = downloading(first, "/big.bin", "kill-test")) {
                stop(first.process(), true);
                assertThat(first.process().exitValue()).isEqualTo(137);
            }

            App second = start();
            started.add(second.process());
            await().atMost(Duration.ofSeconds(30)).until(() -> downloads(second, "/big.bin").size() == 1
                    && downloads(second, "/big.bin").get(0).has("endReason"));
            JsonNode interrupted = downloads(second, "/big.bin").get(0);
            assertThat(interrupted.get("client").get("userAgent").asText()).isEqualTo("kill-test");
            assertThat(interrupted.get("endReason").asText()).isEqualTo("INTERRUPTED");
            assertThat(interrupted.get("completed").asBoolean()).isFalse();
            // what had been delivered, as journaled up to the last second before the kill
            assertThat(interrupted.get("coveredBytes").asLong()).isBetween(1L, SIZE - 1L);
            assertThat(interrupted.get("requestList").get(0).get("reason").asText()).isEqualTo("INTERRUPTED");
            assertThat(Files.readString(second.log())).contains("recorded as INTERRUPTED");

            // a graceful stop in the middle of another download
            try (RawHttp client = downloading(second, "/big.bin", "shutdown-test")) {
                stop(second.process(), false);
            }
            assertThat(Files.readString(second.log())).doesNotContain("stay in the journal");

            App third = start();
            started.add(third.process());
            await().atMost(Duration.ofSeconds(30)).until(() -> downloads(third, "/big.bin").size() == 2
                    && downloads(third, "/big.bin").get(0).has("endReason"));
            JsonNode shutDown = downloads(third, "/big.bin").get(0);
            assertThat(shutDown.get("client").get("userAgent").asText()).isEqualTo("shutdown-test");
            assertThat(shutDown.get("endReason").asText()).isEqualTo("SERVER_SHUTDOWN");
            assertThat(shutDown.get("coveredBytes").asLong()).isBetween(6L * 1024 * 1024, SIZE - 1L);
            // the interrupted one, recorded once
            assertThat(downloads(third, "/big.bin").get(1).get("endReason").asText()).isEqualTo("INTERRUPTED");
            stop(third.process(), false);
        } finally {
            for (Process process : started) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
