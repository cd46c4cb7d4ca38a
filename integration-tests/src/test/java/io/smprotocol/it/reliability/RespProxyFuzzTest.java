package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * The {@code redis-proxy} (RESP codec) fed seeded random RESP: {@value #CASES} inputs (seed {@value #SEED}): valid
 * and truncated arrays, inline commands, absurd and negative lengths, nested arrays, wrong types, missing CRs,
 * random bytes, NUL runs, CR/LF storms, values up to 64 KiB; each on its own connection, in random pieces, while no
 * backend runs. Each connection gets {@code replies.backend-unavailable} (or the part of it that arrived before a
 * reset) and is closed within {@value #TIMEOUT_MILLIS} ms, never anything else, never silence; every one counted
 * once as a backend failure, and none left open.
 * <p>
 * A second test puts a backend that reads and never answers behind the proxy and times, median of {@value #RUNS}
 * runs, how long a command of {@value #ELEMENTS} one-byte bulk strings (5.6 MB, the shape of a large {@code MSET} or
 * {@code RPUSH}) takes to reach it, against a command of one bulk string of the same size, both sent in 64 KiB
 * writes. Work per element makes the first slower by a small factor; the test allows {@value #MAX_RATIO}x.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class RespProxyFuzzTest {

    private static final Logger LOG = Logger.getLogger(RespProxyFuzzTest.class);

    static final int CASES = 500;
    static final long SEED = 0x5EED_0004L;
    static final int TIMEOUT_MILLIS = 10_000;
    static final int ELEMENTS = 800_000;
    static final int RUNS = 3;
    static final double MAX_RATIO = 20.0;

    @Inject
    ProtocolManager manager;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.redis-proxy.replies.backend-unavailable")
    String backendUnavailable;

    @Test
    void randomRespNeverHangsAProxyWithoutBackend() throws Exception {
        try (Socket backend = new Socket()) {
            backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ReliabilityProfile.backendPort()),
                    2000);
            throw new AssertionError("something listens on the proxy's backend port " + ReliabilityProfile.backendPort());
        } catch (ConnectException expected) {
            // no backend, as this test wants
        }
        ProtocolServer proxy = Reliability.protocol(manager, "redis-proxy");
        Reliability.awaitIdle(proxy);
        int port = Reliability.port(proxy);
        long failuresBefore = proxy.backendFailures();
        byte[] refusal = (backendUnavailable + "\r\n").getBytes(StandardCharsets.UTF_8);
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        long bytes = 0;
        long start = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            byte[] input = generate(random);
            int[] pieces = pieces(random, input.length);
            bytes += input.length;
            String outcome;
            try (HttpProbe client = new HttpProbe(port, TIMEOUT_MILLIS)) {
                try {
                    client.send(input, pieces);
                } catch (IOException closedWhileSending) {
                    // the proxy answered and closed while we were still sending: what it sent is read below
                }
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                outcome = readToEnd(client.input(), received);
                byte[] got = received.toByteArray();
                boolean prefix = got.length <= refusal.length
                        && Arrays.equals(got, 0, got.length, refusal, 0, got.length);
                if (!prefix || outcome.equals("silent")) {
                    throw new AssertionError("case " + c + " (seed " + Long.toHexString(SEED) + "): received "
                            + LineFramingFuzzTest.escape(got, 200) + " then " + outcome + "; input ("
                            + input.length + " bytes): " + LineFramingFuzzTest.escape(input, 300));
                }
                outcome = (got.length == refusal.length ? "refusal line, " : got.length + " bytes, ") + outcome;
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        LOG.infof("%d RESP fuzz cases (seed %#x, %d bytes) in %d ms: %s", CASES, SEED, bytes,
                (System.nanoTime() - start) / 1_000_000, outcomes);
        Reliability.awaitOpenConnections(proxy, 0);
        assertThat(proxy.backendFailures() - failuresBefore).as("backend failures counted").isEqualTo(CASES);
    }

    /** Reads until the end of the stream; returns how it ended. */
    private static String readToEnd(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                into.write(buffer, 0, n);
                if (into.size() > 1_000_000) {
                    return "flooded";
                }
            }
            return "closed";
        } catch (SocketTimeoutException e) {
            return "silent";
        } catch (SocketException e) {
            return "reset";
        }
    }

    @Test
    void aCommandOfManySmallElementsGoesThroughAsFastAsOneOfTheSameSize() throws Exception {
        ProtocolServer proxy = Reliability.protocol(manager, "redis-proxy");
        Reliability.awaitIdle(proxy);
        int port = Reliability.port(proxy);
        byte[] many = command(ELEMENTS, 1);
        // one element as large as the many together, so that both commands are the same size
        byte[] one = command(1, many.length - ("*1\r\n$" + many.length + "\r\n\r\n").length());
        assertThat(one.length).isEqualTo(many.length);
        ServerSocket listening = new ServerSocket();
        try {
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ReliabilityProfile.backendPort()));
        } catch (IOException taken) {
            listening.close();
            assumeTrue(false, "the backend port " + ReliabilityProfile.backendPort() + " is taken: " + taken);
        }
        Blackhole backend = new Blackhole(listening);
        try {
            long[] oneElement = new long[RUNS];
            long[] manyElements = new long[RUNS];
            for (int run = 0; run < RUNS; run++) {
                oneElement[run] = timeThrough(port, backend, one);
                manyElements[run] = timeThrough(port, backend, many);
            }
            Arrays.sort(oneElement);
            Arrays.sort(manyElements);
            long base = oneElement[RUNS / 2];
            long tested = manyElements[RUNS / 2];
            double ratio = (double) tested / base;
            LOG.infof("a %d-byte RESP command through the proxy: one element in %d ms, %d elements in %d ms (x%.1f)",
                    many.length, base / 1_000_000, ELEMENTS, tested / 1_000_000, ratio);
            assertThat(ratio).as("time for %d elements over time for one element of the same %d bytes (%d ms / %d ms)",
                    ELEMENTS, many.length, tested / 1_000_000, base / 1_000_000).isLessThanOrEqualTo(MAX_RATIO);
        } finally {
            backend.close();
        }
        Reliability.awaitOpenConnections(proxy, 0);
    }

    /** @return a RESP array of {@code elements} bulk strings of {@code size} bytes each */
    private static byte[] command(int elements, int size) {
        ByteArrayOutputStream command = new ByteArrayOutputStream((size + 16) * elements + 16);
        command.writeBytes(("*" + elements + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] element = new byte[size];
        Arrays.fill(element, (byte) 'a');
        byte[] header = ("$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < elements; i++) {
            command.writeBytes(header);
            command.writeBytes(element);
            command.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return command.toByteArray();
    }

    /** @return nanoseconds from the first byte sent to the proxy until the backend has the whole command */
    private static long timeThrough(int port, Blackhole backend, byte[] bytes) throws Exception {
        CountDownLatch arrived = backend.expect(bytes.length);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            OutputStream out = client.getOutputStream();
            long start = System.nanoTime();
            Future<?> sent = writer.submit(() -> {
                for (int at = 0; at < bytes.length; at += 65536) {
                    out.write(bytes, at, Math.min(65536, bytes.length - at));
                }
                out.flush();
                return null;
            });
            assertThat(arrived.await(120, TimeUnit.SECONDS)).as("the backend got the %d-byte command", bytes.length)
                    .isTrue();
            long took = System.nanoTime() - start;
            sent.get(10, TimeUnit.SECONDS);
            return took;
        } finally {
            writer.shutdownNow();
            writer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** A backend that accepts, reads everything, answers nothing, and tells when a connection got a byte count. */
    static final class Blackhole implements AutoCloseable {
        private final ServerSocket listening;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;
        private volatile long expected;
        private volatile CountDownLatch latch = new CountDownLatch(1);

        Blackhole(ServerSocket listening) {
            this.listening = listening;
            this.acceptor = new Thread(this::accept, "blackhole-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        CountDownLatch expect(long bytes) {
            expected = bytes;
            latch = new CountDownLatch(1);
            return latch;
        }

        private void accept() {
            try {
                while (!listening.isClosed()) {
                    Socket socket = listening.accept();
                    accepted.add(socket);
                    Thread reader = new Thread(() -> read(socket), "blackhole-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void read(Socket socket) {
            AtomicLong count = new AtomicLong();
            byte[] buffer = new byte[65536];
            try (InputStream in = socket.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (count.addAndGet(n) >= expected) {
                        latch.countDown();
                    }
                }
            } catch (IOException closed) {
                // the proxy or the test closed it
            }
        }

        @Override
        public void close() throws Exception {
            listening.close();
            Reliability.closeAll(accepted);
            acceptor.join(10_000);
        }
    }

    // ---- generating

    private static byte[] generate(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int segments = 1 + random.nextInt(6);
        for (int s = 0; s < segments; s++) {
            switch (random.nextInt(11)) {
                case 0 -> {
                    int words = 1 + random.nextInt(5);
                    write(out, "*" + words + "\r\n");
                    for (int w = 0; w < words; w++) {
                        byte[] word = new byte[random.nextInt(20)];
                        random.nextBytes(word);
                        write(out, "$" + word.length + "\r\n");
                        out.writeBytes(word);
                        write(out, "\r\n");
                    }
                }
                case 1 -> write(out, pick(random, "PING\r\n", "SET a b\r\n", "GET a\r\n", "\r\n", "   \r\n",
                        "PING\n", "QUIT\r\n", "*0\r\n", "*1\r\n$0\r\n\r\n"));
                case 2 -> write(out, "*" + (2 + random.nextInt(5)) + "\r\n$3\r\nSET\r\n");
                case 3 -> write(out, pick(random, "$2147483648\r\n", "*99999999999\r\n", "*9999999999999999999\r\n",
                        "*99999999999999999999\r\n", "$-5\r\n", "*-1\r\n", "*-\r\n", "$\r\n", "*\r\n",
                        "*16777217\r\n", "*1\r\n$16777217\r\n", "*1\r\n$-1\r\n", "*1\r\n$99999999999999999999\r\n"));
                case 4 -> write(out, pick(random, "*2\r\n:1\r\n", "*1\r\n*1\r\n$1\r\na\r\n", "*1\r\n+OK\r\n",
                        "*1\r\n-ERR\r\n", "*1\r\n_\r\n", "*2\r\n$1\r\na\r\nb\r\n", "*1\r\n$1\r\nab\r\n"));
                case 5 -> write(out, pick(random, "*1\n$4\nPING\n", "*1\r$4\rPING\r", "*1\r\n$4\r\nPING",
                        "*2\r\n$4\r\nPING"));
                case 6 -> {
                    byte[] noise = new byte[random.nextInt(2000)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
                case 7 -> out.writeBytes(new byte[1 + random.nextInt(100)]);
                case 8 -> {
                    int n = 1 + random.nextInt(100);
                    for (int i = 0; i < n; i++) {
                        out.write(random.nextBoolean() ? '\r' : '\n');
                    }
                }
                case 9 -> {
                    byte[] value = new byte[random.nextInt(65536)];
                    random.nextBytes(value);
                    write(out, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length + "\r\n");
                    out.writeBytes(value);
                    write(out, "\r\n");
                }
                default -> {
                    String alphabet = "*$:+-_\r\n0123456789abc";
                    int n = 1 + random.nextInt(100);
                    for (int i = 0; i < n; i++) {
                        out.write(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static int[] pieces(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int size = Math.min(left, 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 4096));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
