package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.smprotocol.ListenerState;
import io.smprotocol.runtime.server.ManagedListener;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * What the reliability tests share: the listeners under test and their ports, waiting for their connection counts,
 * the JVM's file descriptors (the tests run in the application's JVM, so {@code /proc/self} is the server's), and
 * seeded test files.
 * <p>
 * {@code io.smprotocol.it.Protocols} and {@code io.smprotocol.it.download.TestFiles} do much the same but are
 * package-private in their packages; these are the few lines this package needs of them.
 */
final class Reliability {

    /** How long a listener may take to release the connections its clients closed. */
    static final Duration RELEASE = Duration.ofSeconds(20);

    private Reliability() {
    }

    static ProtocolServer protocol(ProtocolManager manager, String name) {
        return manager.protocol(name).orElseThrow(() -> new AssertionError("the application has no protocol " + name));
    }

    /** @return the port the listener listens on now; fails when it is not running */
    static int port(ManagedListener listener) {
        assertThat(listener.state()).as("state of %s (failure: %s)", listener.name(), listener.failure())
                .isEqualTo(ListenerState.RUNNING);
        int port = listener.port();
        assertThat(port).as("port of %s", listener.name()).isPositive();
        return port;
    }

    /** Waits until the listener has exactly {@code expected} open connections. */
    static void awaitOpenConnections(ManagedListener listener, int expected) {
        await().atMost(RELEASE).pollInterval(Duration.ofMillis(25))
                .untilAsserted(() -> assertThat(listener.openConnections())
                        .as("open connections of %s", listener.name()).isEqualTo(expected));
    }

    /** Waits until the listener has at least {@code expected} open connections. */
    static void awaitAtLeastOpenConnections(ManagedListener listener, int expected) {
        await().atMost(RELEASE).pollInterval(Duration.ofMillis(25))
                .untilAsserted(() -> assertThat(listener.openConnections())
                        .as("open connections of %s", listener.name()).isGreaterThanOrEqualTo(expected));
    }

    /** Waits until the listeners have no connection left from earlier tests. */
    static void awaitIdle(ManagedListener... listeners) {
        for (ManagedListener listener : listeners) {
            awaitOpenConnections(listener, 0);
        }
    }

    /** @return whether this JVM shows its file descriptors in {@code /proc/self/fd} (Linux) */
    static boolean procAvailable() {
        return Files.isDirectory(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/self/limits"));
    }

    /** @return the file descriptors this JVM has open now (sockets, files, selectors, pipes) */
    static int openFileDescriptors() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            // the directory stream's own descriptor is among them: leave it out
            return (int) entries.count() - 1;
        }
    }

    /** @return the soft limit of open files of this JVM ({@code ulimit -n} as the JVM raised it) */
    static long maxFileDescriptors() throws IOException {
        List<String> limits = Files.readAllLines(Path.of("/proc/self/limits"));
        for (String line : limits) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new AssertionError("no 'Max open files' in /proc/self/limits: " + limits);
    }

    /**
     * How many connections of each kind a test may open, at most {@code wanted}: each connection costs the JVM two
     * descriptors (the test's socket and the server's), {@code kinds} kinds are open at once, and a reserve is kept
     * for what the application and the JVM open meanwhile.
     */
    static int affordableConnections(int wanted, int kinds) throws IOException {
        long free = maxFileDescriptors() - openFileDescriptors() - 512;
        return (int) Math.max(0, Math.min(wanted, free / (2L * kinds)));
    }

    /** Writes {@code size} bytes from {@code new Random(seed)} to {@code file} (replacing it) and returns them. */
    static byte[] seededFile(Path file, int size, long seed) throws IOException {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return content;
    }

    /** Closes every closeable, whatever each does; the first failure is thrown at the end. */
    static void closeAll(Iterable<? extends AutoCloseable> closeables) throws Exception {
        Exception first = null;
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
