package io.smprotocol.it.download;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real memcached, started from PATH on a free port for the test class and stopped after it. When memcached is not
 * installed the application is pointed at a closed port and the tests skip themselves (see
 * {@link #requireMemcached()}). The process id is published as a system property so that a test can stop the
 * server mid-test, whichever class loader it runs in.
 */
public class MemcachedResource implements QuarkusTestResourceLifecycleManager {

    static final String PID = "smprotocol.test.memcached.pid";
    static final String PORT = "smprotocol.test.memcached.port";

    private Process memcached;

    @Override
    public Map<String, String> start() {
        int port = freePort();
        System.setProperty(PORT, String.valueOf(port));
        if (Programs.onPath("memcached")) {
            try {
                // memcached refuses to run as root unless told which user to be (-u): be whoever runs the tests
                memcached = new ProcessBuilder("memcached", "-p", String.valueOf(port), "-l", "127.0.0.1", "-U", "0",
                        "-u", System.getProperty("user.name")).redirectErrorStream(true)
                        .redirectOutput(new File("target/memcached.log")).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start memcached", e);
            }
            System.setProperty(PID, String.valueOf(memcached.pid()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions().until(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                            return true;
                        }
                    });
        }
        return Map.of("quarkus.smprotocol.memcached.servers", "127.0.0.1:" + port,
                "quarkus.smprotocol.download.root", "target/dl-memcached",
                "quarkus.smprotocol.download.unique-ip", "true",
                "quarkus.smprotocol.download.cache.max-size", "512K");
    }

    @Override
    public void stop() {
        if (memcached != null) {
            memcached.destroy();
            try {
                memcached.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.clearProperty(PID);
    }

    /** Skips the calling test when memcached is not installed. */
    static void requireMemcached() {
        Programs.require("memcached", "memcached");
    }

    static int port() {
        return Integer.parseInt(System.getProperty(PORT));
    }

    /** Stops the memcached server now, as an outage would. */
    static void kill() throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(Long.parseLong(System.getProperty(PID))).orElseThrow();
        process.destroyForcibly();
        process.onExit().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
