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

import io.smprotocol.it.download.Programs;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;

/**
 * The packaged application in processes of its own, killed ({@code kill -9}) and stopped gracefully (SIGTERM) in the
 * middle of throttled downloads by curl, started again on the same data, and the downloads resumed with
 * {@code curl -C -}: each is one record, completed, its coverage the whole file. A download with a request in flight
 * at the kill that nobody resumed is {@code INTERRUPTED}; one whose client had left before keeps its own reason.
 */
class ProcessLifecycleIT {

    /** A few seconds at the listener's rate limit. */
    static final int SIZE = 6 * 1024 * 1024;
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
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m",
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dquarkus.smprotocol.protocols.smtp.port=0", "-Dquarkus.smprotocol.protocols.ping.port=0",
                "-Dquarkus.smprotocol.protocols.redis-proxy.port=0",
                "-Dquarkus.smprotocol.download.port=0",
                "-Dquarkus.smprotocol.download.root=" + dir.resolve("downloads"),
                "-Dquarkus.smprotocol.download.rate-limit=1M",
                "-Dquarkus.smprotocol.download.drain-timeout=1S",
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

    static List<JsonNode> downloads(App app, String file, String agent) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.httpPort() + "/smprotocol/api/downloads?file="
                        + URLEncoder.encode(file, StandardCharsets.UTF_8)))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode download : JSON.readTree(response.body()).get("downloads")) {
            if (download.get("client").get("userAgent").asText().equals(agent)) {
                found.add(download);
            }
        }
        return found;
    }

    static JsonNode only(App app, String file, String agent) throws Exception {
        List<JsonNode> found = downloads(app, file, agent);
        assertThat(found).as("records of %s", agent).hasSize(1);
        return found.get(0);
    }

    /** curl, at the listener's rate, into {@code out}; {@code resume} adds {@code -C -}. */
    Process curl(App app, String path, String agent, Path out, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-A", agent, "-o", out.toString()));
        if (resume) {
            command.addAll(List.of("-C", "-"));
        }
        command.add("http://127.0.0.1:" + app.downloadPort() + path);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(agent + "-" + System.nanoTime() + ".curl").toFile()).start();
    }

    static void receivedAtLeast(Path file, long bytes) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(file) && Files.size(file) >= bytes);
    }

    static void completes(Process curl) throws InterruptedException {
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).isZero();
    }

    /** A client that reads {@code bytes} of the body and keeps the connection open, reading nothing more. */
    static RawHttp reading(App app, String path, String agent, int bytes) throws IOException {
        RawHttp client = new RawHttp(app.downloadPort());
        client.sendOnly("GET", path, "User-Agent: " + agent);
        assertThat(client.readHead().status()).isEqualTo(200);
        InputStream in = client.input();
        assertThat(in.readNBytes(bytes)).hasSize(bytes);
        return client;
    }

    static void assertWholeAndOne(JsonNode download) {
        assertThat(download.get("completed").asBoolean()).as(download.toString()).isTrue();
        assertThat(download.get("endReason").asText()).isEqualTo("COMPLETED");
        assertThat(download.get("coveredBytes").asLong()).isEqualTo(SIZE);
        assertThat(download.get("coverage")).singleElement().satisfies(range -> {
            assertThat(range.get("first").asLong()).isZero();
            assertThat(range.get("last").asLong()).isEqualTo(SIZE - 1L);
        });
        assertThat(download.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(download.get("requests").asInt()).isEqualTo(2);
        for (JsonNode request : download.get("requestList")) {
            assertThat(request.has("reason")).as("every request has an end: %s", request).isTrue();
        }
    }

    @Test
    void downloadsCutByAKillOrAGracefulStopAreResumedIntoOneCompletedRecordEach() throws Exception {
        Programs.require("curl", "curl");
        byte[] killFile = TestFiles.random(dir.resolve("downloads/kill.bin"), SIZE, 51);
        byte[] termFile = TestFiles.random(dir.resolve("downloads/term.bin"), SIZE, 52);
        List<Process> started = new ArrayList<>();
        try {
            // ---- kill -9 in the middle of a download
            App first = start();
            started.add(first.process());
            // a client that read a little and left before the kill: nothing of it is in flight then
            try (RawHttp paused = reading(first, "/kill.bin", "paused", 256 * 1024)) {
                // closed mid-body
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> downloads(first, "/kill.bin", "paused").size() == 1
                    && downloads(first, "/kill.bin", "paused").get(0).get("requestList").get(0).has("reason"));
            Path killOut = dir.resolve("kill.out");
            Process killCurl = curl(first, "/kill.bin", "kill-resume", killOut, false);
            RawHttp cut = reading(first, "/kill.bin", "cut-by-kill", 256 * 1024);
            receivedAtLeast(killOut, 2L * 1024 * 1024);
            first.process().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(killCurl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            cut.close();
            assertThat(Files.size(killOut)).isBetween(2L * 1024 * 1024, SIZE - 1L);

            App second = start();
            started.add(second.process());
            completes(curl(second, "/kill.bin", "kill-resume", killOut, true));
            assertThat(TestFiles.sha256(killOut)).isEqualTo(TestFiles.sha256(killFile));
            await().atMost(Duration.ofSeconds(20)).until(() -> downloads(second, "/kill.bin", "kill-resume")
                    .stream().anyMatch(d -> d.get("completed").asBoolean()));
            assertWholeAndOne(only(second, "/kill.bin", "kill-resume"));

            JsonNode interrupted = only(second, "/kill.bin", "cut-by-kill");
            assertThat(interrupted.get("endReason").asText()).isEqualTo("INTERRUPTED");
            assertThat(interrupted.get("coveredBytes").asLong()).isBetween(1L, SIZE - 1L);
            JsonNode paused = only(second, "/kill.bin", "paused");
            assertThat(paused.has("endReason")).as("still waiting for its client, not INTERRUPTED: %s", paused)
                    .isFalse();
            assertThat(paused.get("requestList").get(0).get("reason").asText()).isEqualTo("CLIENT_ABORTED");

            // ---- SIGTERM in the middle of another
            Path termOut = dir.resolve("term.out");
            Process termCurl = curl(second, "/term.bin", "term-resume", termOut, false);
            receivedAtLeast(termOut, 2L * 1024 * 1024);
            long stopping = System.nanoTime();
            second.process().destroy();
            assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(termCurl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String stopLog = Files.readString(second.log());
            assertThat(stopLog).contains("[download] Draining: 1 response(s) in flight",
                    "[download] Cutting 1 connection(s)");
            assertThat(stopLog).doesNotContain("stay in the journal");
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("the drain timeout was waited")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            long received = Files.size(termOut);

            App third = start();
            started.add(third.process());
            JsonNode shutDown = only(third, "/term.bin", "term-resume");
            assertThat(shutDown.get("endReason").asText()).isEqualTo("SERVER_SHUTDOWN");
            assertThat(shutDown.get("requestList")).singleElement().satisfies(request -> {
                assertThat(request.get("reason").asText()).isEqualTo("SERVER_SHUTDOWN");
                assertThat(request.get("bytes").asLong()).isEqualTo(shutDown.get("coveredBytes").asLong());
            });
            // what the connection accepted: at least what curl wrote, at most that plus the socket buffers
            assertThat(shutDown.get("coveredBytes").asLong()).isBetween(received, SIZE - 1L);
            assertThat(shutDown.get("bytesSent").asLong()).isEqualTo(shutDown.get("coveredBytes").asLong());

            completes(curl(third, "/term.bin", "term-resume", termOut, true));
            assertThat(TestFiles.sha256(termOut)).isEqualTo(TestFiles.sha256(termFile));
            await().atMost(Duration.ofSeconds(20)).until(() -> downloads(third, "/term.bin", "term-resume")
                    .stream().anyMatch(d -> d.get("completed").asBoolean()));
            assertWholeAndOne(only(third, "/term.bin", "term-resume"));
            // the downloads of the first run were not touched again
            assertThat(only(third, "/kill.bin", "cut-by-kill").get("endReason").asText()).isEqualTo("INTERRUPTED");
            assertWholeAndOne(only(third, "/kill.bin", "kill-resume"));
            third.process().destroy();
            assertThat(third.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            for (Process process : started) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
