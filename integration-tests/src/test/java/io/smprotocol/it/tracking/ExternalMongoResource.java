package io.smprotocol.it.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A MongoDB in its own process ({@link MongoServerMain}) on a free port, for the application under test. Tests stop
 * and start it with {@link #stopServer()} and {@link #startServer()}; the pid of the running one is kept in a file,
 * so that whichever class loader calls, the same process is meant, and {@link #stop()} always ends it.
 */
public class ExternalMongoResource implements QuarkusTestResourceLifecycleManager {

    static final Path DIR = Path.of("target/test-external-mongo");
    static final Path PID = DIR.resolve("pid");
    static final Path PORT = DIR.resolve("port");

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(DIR.resolve("mongo.mv"));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Files.writeString(PORT, String.valueOf(port));
            startServer();
            return Map.of("quarkus.mongodb.connection-string", "mongodb://127.0.0.1:" + port,
                    "quarkus.mongodb.server-selection-timeout", "1S",
                    "quarkus.mongodb.connect-timeout", "1S",
                    "quarkus.mongodb.read-timeout", "2S",
                    "quarkus.smprotocol.tracking.journal-dir", DIR.resolve("journal").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server on the same port and data file, and waits until it listens. */
    static void startServer() throws IOException {
        int port = Integer.parseInt(Files.readString(PORT).trim());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = DIR.resolve("mongo-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                MongoServerMain.class.getName(), String.valueOf(port), DIR.resolve("mongo.mv").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Files.writeString(PID, String.valueOf(process.pid()));
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || Files.readString(log, StandardCharsets.UTF_8).contains("READY"));
        } finally {
            if (!process.isAlive()) {
                throw new IllegalStateException("the MongoDB process ended: " + Files.readString(log));
            }
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 30 seconds) and waits until it is gone. */
    static void stopServer() throws IOException {
        if (!Files.exists(PID)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(PID).trim());
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.destroy();
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
                throw new IllegalStateException("the MongoDB process " + pid + " did not stop", e);
            }
        });
        Files.deleteIfExists(PID);
    }

    @Override
    public void stop() {
        try {
            stopServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
