package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.it.LineClient;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * Slowloris: a thousand connections that send a request one byte at a time, or start one and fall silent, must not
 * slow down a real client of the same listener, nor make the server stop answering.
 * <ul>
 * <li>download: 1,000 slow connections (half send a header byte every second, half sent 12 bytes and stopped) while
 * a 32 MiB file (seed {@value #FILE_SEED}) is downloaded {@value #DOWNLOADS} times on other connections, each
 * followed by a ranged request: each is byte-identical, and their median time is within {@value #SLOWDOWN_BOUND}x the
 * median of {@value #DOWNLOADS} downloads without the slow clients, measured in the same test (no absolute
 * timing);</li>
 * <li>ping: 1,000 connections that never send a line (half trickle {@code SLOWWW...} one byte a second, half sent
 * {@code SLO} and stopped): PING on new connections still answers, and a slow one that finally ends its line is
 * answered as well.</li>
 * </ul>
 * Every slow connection is accepted and held by the server for the whole test: none is cut off, and the listener's
 * connection count shows them all (that is what {@code max-connections} and {@code idle-timeout} apply to). All are
 * closed at the end.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class SlowlorisTest {

    private static final Logger LOG = Logger.getLogger(SlowlorisTest.class);

    static final int SLOW_CLIENTS = 1000;
    static final int FILE_SIZE = 32 * 1024 * 1024;
    static final long FILE_SEED = 20_261_121L;
    static final int SLOWDOWN_BOUND = 10;
    static final int DOWNLOADS = 5;
    static final String FILE = "/slowloris/big.bin";
    /** A request header that never ends within the test: the slow clients send it one byte a second. */
    static final byte[] ENDLESS_HEAD = ("GET " + FILE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n"
            + "X-Padding: " + "a".repeat(4000)).getBytes(StandardCharsets.ISO_8859_1);
    /** A line that never ends; no prefix of it is a command ping knows. */
    static final byte[] ENDLESS_LINE = ("SLOW" + "W".repeat(4000)).getBytes(StandardCharsets.ISO_8859_1);

    @Inject
    ProtocolManager manager;

    @Inject
    DownloadServer download;

    static byte[] content;

    @BeforeEach
    void file() throws IOException {
        if (content == null) {
            content = Reliability.seededFile(download.root().resolve(FILE.substring(1)), FILE_SIZE, FILE_SEED);
        }
    }

    @Test
    void aDownloadRunsAtNormalSpeedBesideAThousandSlowRequests() throws Exception {
        assumeTrue(Reliability.procAvailable(), "needs /proc to check the descriptor limit");
        int slow = slowClients();
        Reliability.awaitIdle(download);
        int port = Reliability.port(download);
        byte[] buffer = new byte[FILE_SIZE];

        // warm up (JIT, page cache), then the reference: downloads without slow clients
        download(port, buffer);
        long[] alone = new long[DOWNLOADS];
        for (int i = 0; i < alone.length; i++) {
            alone[i] = download(port, buffer);
        }

        List<Socket> slowClients = new ArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger writeFailures = new AtomicInteger();
        AtomicLong bytesTrickled = new AtomicLong();
        SoftAssertions softly = new SoftAssertions();
        try {
            for (int i = 0; i < slow; i++) {
                Socket socket = connect(port);
                slowClients.add(socket);
                if (i % 2 == 1) {
                    // this half starts a request line and never goes on
                    socket.getOutputStream().write(ENDLESS_HEAD, 0, 12);
                }
            }
            // the server accepted every one of them and counts them. (Not the JVM's descriptor count: the server's
            // side of an earlier Connection: close download, and the file it sent, may close at any moment.)
            Reliability.awaitAtLeastOpenConnections(download, slow);
            startTrickle(pacer, slowClients, ENDLESS_HEAD, writeFailures, bytesTrickled);
            // every trickling client has sent a byte more: the trickle runs
            await().atMost(Reliability.RELEASE).until(() -> bytesTrickled.get() >= slow / 2);

            long[] beside = new long[DOWNLOADS];
            for (int i = 0; i < beside.length; i++) {
                beside[i] = download(port, buffer);
                // the server goes on answering other requests too
                try (HttpProbe probe = new HttpProbe(port, 10_000)) {
                    probe.send("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nRange: bytes=-100\r\n\r\n");
                    HttpProbe.Result tail = probe.read(false, 10_000, 10_000);
                    assertThat(tail.status()).as("ranged request beside the slow clients: %s", tail).isEqualTo(206);
                    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, FILE_SIZE - 100, FILE_SIZE));
                }
            }
            assertThat(writeFailures.get()).as("slow clients the server cut off").isZero();
            assertThat(bytesTrickled.get()).as("bytes the slow clients sent meanwhile").isPositive();
            // the listener knows them: they count against max-connections and idle-timeout
            softly.assertThat(download.openConnections())
                    .as("connections the download listener counts while %d slow clients are connected", slow)
                    .isGreaterThanOrEqualTo(slow);

            long aloneMedian = median(alone);
            long besideMedian = median(beside);
            LOG.infof("32 MiB download: %s ms alone (median %d), %s ms beside %d slow connections (median %d);"
                    + " the slow clients trickled %d bytes", Arrays.toString(millis(alone)), aloneMedian / 1_000_000,
                    Arrays.toString(millis(beside)), slow, besideMedian / 1_000_000, bytesTrickled.get());
            softly.assertThat(besideMedian).as("median download time beside %d slow connections, in ns (alone: %d ns)",
                    slow, aloneMedian).isLessThanOrEqualTo(SLOWDOWN_BOUND * aloneMedian);
        } finally {
            stop(pacer, slowClients);
        }
        Reliability.awaitOpenConnections(download, 0);
        softly.assertAll();
    }

    @Test
    void pingAnswersBesideAThousandConnectionsThatNeverEndALine() throws Exception {
        assumeTrue(Reliability.procAvailable(), "needs /proc to check the descriptor limit");
        int slow = slowClients();
        ProtocolServer ping = Reliability.protocol(manager, "ping");
        Reliability.awaitIdle(ping);
        int port = Reliability.port(ping);

        List<Socket> slowClients = new ArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger writeFailures = new AtomicInteger();
        AtomicLong bytesTrickled = new AtomicLong();
        long linesBefore = ping.linesReceived();
        try {
            for (int i = 0; i < slow; i++) {
                Socket socket = connect(port);
                slowClients.add(socket);
                if (i % 2 == 1) {
                    socket.getOutputStream().write(ENDLESS_LINE, 0, 3);
                }
            }
            Reliability.awaitOpenConnections(ping, slow);
            startTrickle(pacer, slowClients, ENDLESS_LINE, writeFailures, bytesTrickled);
            await().atMost(Reliability.RELEASE).until(() -> bytesTrickled.get() >= slow / 2);

            for (int i = 0; i < 50; i++) {
                try (LineClient client = LineClient.connect(port)) {
                    assertThat(client.command("PING")).as("PING %d on a new connection", i).isEqualTo("+PONG");
                }
            }
            assertThat(ping.openConnections()).as("slow connections still held").isGreaterThanOrEqualTo(slow);
            assertThat(writeFailures.get()).as("slow clients the server cut off").isZero();
            assertThat(bytesTrickled.get()).isPositive();
            // only the 50 PINGs were lines: the slow clients' bytes never made one
            assertThat(ping.linesReceived() - linesBefore).isEqualTo(50);

            // a slow client that finally ends its line is answered: the server kept what it had sent
            pacer.shutdownNow();
            assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            Socket lastTrickler = slowClients.get(slowClients.size() - 2);
            lastTrickler.setSoTimeout(10_000);
            lastTrickler.getOutputStream().write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] reply = lastTrickler.getInputStream().readNBytes("-ERR unknown command\r\n".length());
            assertThat(new String(reply, StandardCharsets.ISO_8859_1)).isEqualTo("-ERR unknown command\r\n");
        } finally {
            stop(pacer, slowClients);
        }
        Reliability.awaitOpenConnections(ping, 0);
    }

    /** @return how many slow clients to open: {@value #SLOW_CLIENTS}, unless the open files limit forbids it */
    private static int slowClients() throws IOException {
        int slow = Reliability.affordableConnections(SLOW_CLIENTS, 1);
        long limit = Reliability.maxFileDescriptors();
        if (slow < SLOW_CLIENTS) {
            LOG.warnf("the open files limit (%d) allows only %d slow connections instead of %d", limit, slow,
                    SLOW_CLIENTS);
        } else {
            LOG.infof("open files limit %d, %d open: room for %d slow connections", limit,
                    Reliability.openFileDescriptors(), SLOW_CLIENTS);
        }
        assertThat(slow).as("slow connections the open files limit allows").isGreaterThanOrEqualTo(100);
        return slow;
    }

    /**
     * Every 50 ms, the next twentieth of the even-numbered clients sends its next byte: each of them sends one byte a
     * second. The odd-numbered ones stay silent.
     */
    private static void startTrickle(ScheduledExecutorService pacer, List<Socket> clients, byte[] endless,
            AtomicInteger failures, AtomicLong bytes) {
        int[] sent = new int[clients.size()];
        AtomicInteger tick = new AtomicInteger();
        pacer.scheduleAtFixedRate(() -> {
            int slice = tick.getAndIncrement() % 20;
            for (int i = slice * 2; i < clients.size(); i += 40) {
                if (sent[i] >= endless.length) {
                    continue;
                }
                try {
                    OutputStream out = clients.get(i).getOutputStream();
                    out.write(endless[sent[i]++]);
                    bytes.incrementAndGet();
                } catch (IOException e) {
                    failures.incrementAndGet();
                    sent[i] = endless.length;
                }
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    private static void stop(ScheduledExecutorService pacer, List<Socket> clients) throws Exception {
        try {
            pacer.shutdownNow();
            pacer.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            Reliability.closeAll(clients);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Downloads the whole file on a new connection into {@code buffer}, checks it, and returns how long it took. */
    private static long download(int port, byte[] buffer) throws IOException {
        long start = System.nanoTime();
        try (HttpProbe probe = new HttpProbe(port, 30_000)) {
            probe.send("GET " + FILE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            HttpProbe.Result head = readHeadOnly(probe);
            assertThat(head.status()).as("download: %s", head).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(FILE_SIZE));
            int read = probe.input().readNBytes(buffer, 0, FILE_SIZE);
            long took = System.nanoTime() - start;
            assertThat(read).as("bytes received").isEqualTo(FILE_SIZE);
            assertThat(Arrays.equals(buffer, content)).as("the download is byte-identical to the file").isTrue();
            return took;
        }
    }

    /** Reads a response's head only, leaving its body in the stream. */
    private static HttpProbe.Result readHeadOnly(HttpProbe probe) throws IOException {
        return probe.read(true, 30_000, 30_000);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long[] millis(long[] nanos) {
        return Arrays.stream(nanos).map(n -> n / 1_000_000).toArray();
    }
}
