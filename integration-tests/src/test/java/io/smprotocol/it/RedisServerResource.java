package io.smprotocol.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real redis-server from {@code PATH} on a free loopback port, without persistence, and points the demo's
 * {@code redis-proxy} at it; stops it when the test class is done. The port is published as
 * {@value #PORT} so that tests can talk to redis directly. Where redis-server is not installed nothing is started,
 * {@value #PORT} is {@code 0}, and the tests skip themselves, naming the package.
 */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    /** The port redis-server listens on, 0 when it is not installed. */
    public static final String PORT = "smprotocol.it.redis-server.port";

    static final String FORWARD_PORT = "quarkus.smprotocol.protocols.redis-proxy.forward.port";

    private Process process;
    private Path log;

    @Override
    public Map<String, String> start() {
        int port = freePort();
        if (!ExternalProgram.onPath("redis-server")) {
            // nothing listens there: the tests skip before using it
            return Map.of(FORWARD_PORT, String.valueOf(port), PORT, "0");
        }
        List<String> command = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no");
        try {
            log = Files.createTempFile("redis-server-", ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("redis-server exited with " + process.exitValue());
                        }
                        try (LineClient client = LineClient.connect(port, Duration.ofSeconds(2))) {
                            return client.command("PING").equals("+PONG");
                        }
                    });
        } catch (IOException | RuntimeException | Error e) {
            String output = output();
            stop();
            throw new IllegalStateException("could not start " + String.join(" ", command) + "; its output:\n" + output,
                    e);
        }
        return Map.of(FORWARD_PORT, String.valueOf(port), PORT, String.valueOf(port));
    }

    @Override
    public void stop() {
        try {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
            try {
                if (log != null) {
                    Files.deleteIfExists(log);
                }
            } catch (IOException ignored) {
                // a temporary file left behind
            }
            log = null;
        }
    }

    private String output() {
        try {
            return log == null ? "" : new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
