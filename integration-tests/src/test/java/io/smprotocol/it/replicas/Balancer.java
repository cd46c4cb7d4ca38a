package io.smprotocol.it.replicas;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in front of the replicas' download listeners, as a Kubernetes Service would be: TCP, round-robin, a
 * replica taken out as soon as its readiness is DOWN (checked every 300 ms on its management port), a failed connect
 * retried on another one.
 */
final class Balancer {

    final int port;
    private final Process process;

    private Balancer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static Balancer start(Path dir, List<Replica> replicas) throws IOException {
        int port = Ports.free();
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 512
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 120s
                    timeout server 120s
                    retries 3
                    option redispatch
                frontend downloads
                    bind 127.0.0.1:%d
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /q/health/ready
                    default-server inter 300ms fall 1 rise 1
                """.formatted(port));
        for (Replica replica : replicas) {
            config.append("    server %s 127.0.0.1:%d check port %d%n".formatted(replica.name, replica.downloadPort,
                    replica.managementPort));
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("haproxy-" + port + ".cfg");
        Files.writeString(file, config);
        Path log = dir.resolve("haproxy-" + port + ".log");
        // -db: in the foreground, so that the test owns the process
        Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Balancer balancer = new Balancer(port, process);
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("haproxy exited: " + Files.readString(log));
                }
                return Ports.accepts(port);
            });
        } catch (RuntimeException | AssertionError e) {
            balancer.stop();
            throw e;
        }
        return balancer;
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
