package io.smprotocol.deployment.proxy;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * A server program from {@code PATH} (redis-server, memcached) that a test runs as the backend of a proxy, on a free
 * loopback port. Tests check {@link #onPath(String)} with {@code Assumptions.assumeTrue} first, naming the Debian
 * package, so that a missing program shows as a skipped test; they stop the program in a {@code finally} block or an
 * {@code @AfterEach} method, which also runs when the test fails.
 */
public final class ServerProgram implements AutoCloseable {

    private static final int FIRST_PORT = 20_000;
    private static final int PORTS = 12_000;
    private static final Random RANDOM = new Random();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final String description;
    private final Process process;
    private final Path log;
    private final int port;

    private ServerProgram(String description, Process process, Path log, int port) {
        this.description = description;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * @param program a program's file name, such as {@code memcached}
     * @return whether an executable file of that name is in a directory of {@code PATH}
     */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = directory.isEmpty() ? null : Path.of(directory, program);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A port the tests configure as a backend before they start one there. It is taken below Linux's ephemeral range
     * (32768 and up): a port of that range can be handed meanwhile to any outgoing connection as its local port, and
     * the backend then cannot bind it.
     *
     * @return a loopback port nothing listened on a moment ago
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST_PORT + RANDOM.nextInt(PORTS);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // another port
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + FIRST_PORT + "-"
                + (FIRST_PORT + PORTS - 1)));
    }

    /**
     * @param manager the application's protocol manager
     * @param protocol a proxying protocol's name
     * @return the port of that protocol's backend, from its configuration
     */
    public static int backendPort(ProtocolManager manager, String protocol) {
        ProtocolServer server = manager.protocol(protocol)
                .orElseThrow(() -> new AssertionError("no protocol named " + protocol));
        String backend = server.backend();
        if (backend == null) {
            throw new AssertionError("protocol " + protocol + " does not proxy");
        }
        return Integer.parseInt(backend.substring(backend.lastIndexOf(':') + 1));
    }

    /** Starts {@code memcached} on 127.0.0.1:{@code port}, UDP off, and waits until it accepts connections. */
    public static ServerProgram memcached(int port) {
        List<String> command = new ArrayList<>(
                List.of("memcached", "-p", String.valueOf(port), "-l", "127.0.0.1", "-U", "0"));
        if ("root".equals(System.getProperty("user.name"))) {
            // memcached refuses to run as root unless told which user to run as
            command.addAll(List.of("-u", "root"));
        }
        return start(command, port);
    }

    /** Starts {@code redis-server} on 127.0.0.1:{@code port}, without persistence, and waits until it accepts. */
    public static ServerProgram redis(int port) {
        return start(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no"), port);
    }

    /**
     * Starts a program that listens on {@code port} and waits until it accepts connections; fails, with the program's
     * output, when it exits or does not listen in time. The program is destroyed when starting fails.
     */
    public static ServerProgram start(List<String> command, int port) {
        Path log = null;
        Process process = null;
        try {
            log = Files.createTempFile("server-program-", ".log");
            // output to a file, not a pipe: a chatty server cannot block on a full pipe nobody reads
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServerProgram program = new ServerProgram(String.join(" ", command), process, log, port);
            program.awaitListening();
            return program;
        } catch (IOException | RuntimeException | Error e) {
            if (process != null) {
                destroy(process);
            }
            String output = readQuietly(log);
            deleteQuietly(log);
            throw new AssertionError("could not start " + String.join(" ", command) + ": " + e + "; its output:\n"
                    + output, e);
        }
    }

    private void awaitListening() {
        await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(description + " exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the program with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(description + " survived SIGKILL");
        }
    }

    /** @return what the program printed so far */
    public String output() {
        return readQuietly(log);
    }

    /** Stops the program (SIGTERM, then SIGKILL after 10 seconds) and deletes its log. */
    @Override
    public void close() {
        try {
            destroy(process);
        } finally {
            deleteQuietly(log);
        }
    }

    private static void destroy(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String readQuietly(Path log) {
        try {
            return log == null ? "" : new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    private static void deleteQuietly(Path log) {
        try {
            if (log != null) {
                Files.deleteIfExists(log);
            }
        } catch (IOException ignored) {
            // a temporary file left behind
        }
    }
}
