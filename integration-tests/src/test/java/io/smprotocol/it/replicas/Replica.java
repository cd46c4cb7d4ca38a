package io.smprotocol.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One replica: the packaged demo in a process of its own, with its node name, its own journal and ports chosen up
 * front, so that a replica started again comes back where the balancer expects it, on the same data.
 */
final class Replica {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int downloadPort;
    final int httpPort;
    final int managementPort;
    private final Path dir;
    private final Map<String, String> settings;
    private Process process;
    private Path log;

    Replica(String name, Path dir, Map<String, String> settings) throws IOException {
        this.name = name;
        this.dir = dir;
        this.settings = settings;
        this.downloadPort = Ports.free();
        this.httpPort = Ports.free();
        this.managementPort = Ports.free();
    }

    /** Starts the process; {@link #awaitReady()} waits for it. */
    void start() throws IOException {
        Path jar = Path.of(System.getProperty("smprotocol.app.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar).exists();
        Files.createDirectories(dir);
        log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.smprotocol.protocols.smtp.port=0", "-Dquarkus.smprotocol.protocols.ping.port=0",
                "-Dquarkus.smprotocol.protocols.redis-proxy.port=0",
                "-Dquarkus.smprotocol.download.port=" + downloadPort,
                "-Dquarkus.smprotocol.node-name=" + name,
                "-Dquarkus.smprotocol.tracking.journal-dir=" + dir.resolve("journal"),
                "-Dquarkus.smprotocol.embedded-mongo.data-dir=" + dir.resolve("data"),
                "-Dquarkus.smprotocol.tracking.flush-interval=500MS"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** Waits until the replica reports itself ready on its management port. */
    void awaitReady() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + Files.readString(log));
            }
            return readiness() == 200;
        });
    }

    /** @return the status of {@code /q/health/ready}, or -1 when the management port does not answer */
    int readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** @return the records of {@code file} as this replica's stats API lists them, newest first */
    JsonNode downloads(String file) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/smprotocol/api/downloads?file=" + URLEncoder.encode(file, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("downloads");
    }

    /** Sends SIGTERM, as Kubernetes stops a pod, without waiting. */
    void signalTerm() {
        process.destroy();
    }

    Process process() {
        return process;
    }

    String logText() throws IOException {
        return log == null ? "" : Files.readString(log);
    }

    /** Ends the process whatever its state: for the clean-up after a failure. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
