package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.it.LineClient;
import io.smprotocol.runtime.server.ManagedListener;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * A flood of connections far past {@code max-connections} (20 on {@code ping} and on the download listener): 500
 * connections opened as fast as 16 threads can, twice per listener.
 * <ol>
 * <li>20 connections first, each proven to work, then 480 at once: every one of the 480 gets the refusal ({@code ping}:
 * the {@code too-many-connections} line; download: 503 with {@code Retry-After} and {@code Connection: close}) and is
 * closed by the server, and the first 20 still work;</li>
 * <li>after a restart of the listener (the limit is read again), 500 at once from nothing: exactly 20 are served and
 * 480 refused, whichever event loop took them;</li>
 * <li>after each flood every connection is closed, the listener reports 0 open connections, and the JVM's open file
 * descriptors ({@code /proc/self/fd}: the test runs in the application's JVM) are back within {@value #FD_MARGIN} of
 * the count before the flood.</li>
 * </ol>
 * And on the download listener, 20 connections that never send a whole request take the 20 slots and are closed by
 * the idle timeout ({@value #IDLE_SECONDS} s in this profile).
 */
@QuarkusTest
@TestProfile(ConnectionFloodTest.SmallLimits.class)
class ConnectionFloodTest {

    private static final Logger LOG = Logger.getLogger(ConnectionFloodTest.class);

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.smprotocol.protocols.ping.max-connections", String.valueOf(LIMIT),
                    "quarkus.smprotocol.download.max-connections", String.valueOf(LIMIT),
                    "quarkus.smprotocol.download.idle-timeout", IDLE_SECONDS + "S",
                    "quarkus.smprotocol.download.root", ReliabilityProfile.ROOT);
        }
    }

    static final int LIMIT = 20;
    static final int FLOOD = 500;
    static final int THREADS = 16;
    static final int FD_MARGIN = 10;
    static final int IDLE_SECONDS = 10;
    /** How long a connection refused with {@code Connection: close} may stay open after its response. */
    static final int CLOSE_MILLIS = 3000;
    static final String PING_REFUSED = "-ERR max number of clients reached";
    static final String FILE = "/flood/small.bin";
    static final int FILE_SIZE = 1000;

    @Inject
    ProtocolManager manager;

    @Inject
    DownloadServer download;

    @Test
    void pingRefusesEveryConnectionOverTheLimitAndLeaksNothing() throws Exception {
        assumeTrue(Reliability.procAvailable(), "counts /proc/self/fd");
        ProtocolServer ping = Reliability.protocol(manager, "ping");
        warmUp(ping);

        // 1. the first 20, one by one, then 480 at once
        int before = fdsWhenIdle(ping);
        List<LineClient> first = new ArrayList<>();
        List<LineClient> flood = new ArrayList<>();
        long refusedBefore = ping.refusedConnections();
        try {
            int port = Reliability.port(ping);
            for (int i = 0; i < LIMIT; i++) {
                LineClient client = LineClient.connect(port);
                first.add(client);
                assertThat(client.command("PING")).as("client %d within the limit", i).isEqualTo("+PONG");
            }
            connectAtOnce(() -> LineClient.connect(port), FLOOD - LIMIT, flood);
            assertThat(Reliability.openFileDescriptors()).as("descriptors while the flood is open")
                    .isGreaterThanOrEqualTo(before + FLOOD);
            for (LineClient refused : flood) {
                assertThat(refused.readLine()).isEqualTo(PING_REFUSED);
                assertThat(refused.closedByServerWithin(Duration.ofSeconds(10))).as("refused client closed").isTrue();
            }
            assertThat(ping.refusedConnections() - refusedBefore).isEqualTo(FLOOD - LIMIT);
            for (LineClient client : first) {
                assertThat(client.command("PING")).as("a client within the limit, after the flood").isEqualTo("+PONG");
            }
            assertThat(ping.openConnections()).isEqualTo(LIMIT);
        } finally {
            Reliability.closeAll(first);
            Reliability.closeAll(flood);
        }
        assertNoLeak(ping, before);

        // 2. after a restart, 500 at once from nothing: exactly the limit is served
        manager.restart("ping").toCompletableFuture().get(30, TimeUnit.SECONDS);
        before = fdsWhenIdle(ping);
        List<LineClient> burst = new ArrayList<>();
        long refusedBeforeBurst = ping.refusedConnections();
        try {
            int port = Reliability.port(ping);
            connectAtOnce(() -> LineClient.connect(port), FLOOD, burst);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(ping.refusedConnections() - refusedBeforeBurst).as("refused").isEqualTo(FLOOD - LIMIT);
                assertThat(ping.openConnections()).as("open").isEqualTo(LIMIT);
            });
            // ping greets no one: the clients with something to read are the refused ones, once their line arrived
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting(burst) == FLOOD - LIMIT);
            int served = 0;
            int refused = 0;
            for (LineClient client : burst) {
                if (client.hasDataWaiting()) {
                    assertThat(client.readLine()).isEqualTo(PING_REFUSED);
                    assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).as("refused client closed").isTrue();
                    refused++;
                } else {
                    assertThat(client.command("PING")).isEqualTo("+PONG");
                    served++;
                }
            }
            LOG.infof("ping burst of %d: %d served, %d refused", FLOOD, served, refused);
            assertThat(served).as("served").isEqualTo(LIMIT);
            assertThat(refused).as("refused").isEqualTo(FLOOD - LIMIT);
        } finally {
            Reliability.closeAll(burst);
        }
        assertNoLeak(ping, before);
    }

    @Test
    void theDownloadListenerAnswers503OverTheLimitAndLeaksNothing() throws Exception {
        assumeTrue(Reliability.procAvailable(), "counts /proc/self/fd");
        byte[] content = Reliability.seededFile(download.root().resolve(FILE.substring(1)), FILE_SIZE, 500);
        warmUp(download);

        int before = fdsWhenIdle(download);
        List<HttpProbe> first = new ArrayList<>();
        List<HttpProbe> flood = new ArrayList<>();
        long refusedBefore = download.refusedConnections();
        try {
            int port = Reliability.port(download);
            for (int i = 0; i < LIMIT; i++) {
                HttpProbe client = new HttpProbe(port, 10_000);
                first.add(client);
                assertThat(get(client).status()).as("client %d within the limit", i).isEqualTo(200);
            }
            connectAtOnce(() -> new HttpProbe(port, 10_000), FLOOD - LIMIT, flood);
            assertThat(Reliability.openFileDescriptors()).as("descriptors while the flood is open")
                    .isGreaterThanOrEqualTo(before + FLOOD);
            for (HttpProbe refused : flood) {
                HttpProbe.Result response = get(refused);
                assertRefused(response);
                // at once: well before the idle timeout would close it anyway
                assertThat(refused.closedByServer(CLOSE_MILLIS)).as("refused connection closed by the server after"
                        + " its 503 with Connection: close").isTrue();
            }
            assertThat(download.refusedConnections() - refusedBefore).isEqualTo(FLOOD - LIMIT);
            for (HttpProbe client : first) {
                HttpProbe.Result again = get(client);
                assertThat(again.status()).as("keep-alive client within the limit, after the flood").isEqualTo(200);
                assertThat(again.body()).isEqualTo(content);
            }
        } finally {
            Reliability.closeAll(first);
            Reliability.closeAll(flood);
        }
        assertNoLeak(download, before);

        manager.restart("download").toCompletableFuture().get(30, TimeUnit.SECONDS);
        before = fdsWhenIdle(download);
        List<HttpProbe> burst = new ArrayList<>();
        try {
            int port = Reliability.port(download);
            connectAtOnce(() -> new HttpProbe(port, 10_000), FLOOD, burst);
            // every connection is open at once before any asks
            Reliability.awaitOpenConnections(download, FLOOD);
            int served = 0;
            int refused = 0;
            for (HttpProbe client : burst) {
                HttpProbe.Result response = get(client);
                if (response.status() == 200) {
                    assertThat(response.body()).isEqualTo(content);
                    served++;
                } else {
                    assertRefused(response);
                    assertThat(client.closedByServer(CLOSE_MILLIS)).as("closed after its 503").isTrue();
                    refused++;
                }
            }
            LOG.infof("download burst of %d: %d served, %d refused", FLOOD, served, refused);
            assertThat(served).as("served").isEqualTo(LIMIT);
            assertThat(refused).as("refused").isEqualTo(FLOOD - LIMIT);
        } finally {
            Reliability.closeAll(burst);
        }
        assertNoLeak(download, before);
    }

    private static long waiting(List<LineClient> clients) throws IOException {
        long count = 0;
        for (LineClient client : clients) {
            if (client.hasDataWaiting()) {
                count++;
            }
        }
        return count;
    }

    /**
     * Connections that have not sent a whole request yet are connections too: they take the slots of
     * {@code max-connections} (a request beyond them gets 503), and {@code idle-timeout} ({@value #IDLE_SECONDS} s
     * here) closes them; otherwise a client that connects and never finishes a request holds a socket for ever and
     * the limit protects nothing.
     */
    @Test
    void connectionsThatNeverFinishARequestCountAgainstTheLimitAndTimeOut() throws Exception {
        Reliability.awaitIdle(download);
        Reliability.seededFile(download.root().resolve(FILE.substring(1)), FILE_SIZE, 500);
        int port = Reliability.port(download);
        List<HttpProbe> idle = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        try {
            for (int i = 0; i < LIMIT; i++) {
                HttpProbe probe = new HttpProbe(port, 10_000);
                idle.add(probe);
                if (i % 2 == 1) {
                    // half of them start a request and stop
                    probe.send("GET " + FILE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                }
            }
            long opened = System.nanoTime();
            try {
                Reliability.awaitAtLeastOpenConnections(download, LIMIT);
            } catch (ConditionTimeoutException notCounted) {
                // reported below
            }
            softly.assertThat(download.openConnections()).as("connections the listener counts").isGreaterThanOrEqualTo(
                    LIMIT);
            try (HttpProbe late = new HttpProbe(port, 10_000)) {
                HttpProbe.Result response = get(late);
                softly.assertThat(response.status())
                        .as("a request while %d connections that sent no whole request are open (limit %d)", LIMIT,
                                LIMIT)
                        .isEqualTo(503);
            }
            // all of them are closed within the idle timeout and a margin
            long deadline = opened + TimeUnit.SECONDS.toNanos(IDLE_SECONDS + 10);
            int closed = 0;
            for (HttpProbe probe : idle) {
                int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                if (probe.closedByServer(left)) {
                    closed++;
                }
            }
            softly.assertThat(closed).as("connections without a whole request closed within %d s of idleness",
                    IDLE_SECONDS + 10).isEqualTo(LIMIT);
        } finally {
            Reliability.closeAll(idle);
        }
        Reliability.awaitOpenConnections(download, 0);
        softly.assertAll();
    }

    private static HttpProbe.Result get(HttpProbe client) throws IOException {
        client.send("GET " + FILE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return client.read(false, 10_000, 10_000);
    }

    private static void assertRefused(HttpProbe.Result response) {
        assertThat(response.status()).as("over the limit: %s", response).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(response.bodyText()).startsWith("503 Service Unavailable");
    }

    /** A small flood first, so that classes, buffers and pools the flood needs are loaded before counting. */
    private void warmUp(ManagedListener listener) throws Exception {
        long seen = listener.acceptedConnections() + listener.refusedConnections();
        List<Socket> sockets = new ArrayList<>();
        try {
            connectAtOnce(() -> {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", Reliability.port(listener)), 10_000);
                return socket;
            }, 2 * LIMIT, sockets);
        } finally {
            Reliability.closeAll(sockets);
        }
        // a connect returns once the kernel queued the connection: the listener may take it later, after the client
        // closed it. Idle means every warm-up connection was taken and closed, not only those taken so far
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(
                () -> listener.acceptedConnections() + listener.refusedConnections() >= seen + 2 * LIMIT);
        Reliability.awaitIdle(listener);
    }

    /** @return the JVM's descriptors once the listener has no connection */
    private static int fdsWhenIdle(ManagedListener listener) throws IOException {
        Reliability.awaitIdle(listener);
        return Reliability.openFileDescriptors();
    }

    private static void assertNoLeak(ManagedListener listener, int before) throws IOException {
        Reliability.awaitOpenConnections(listener, 0);
        // the sockets are closed on both sides; the descriptors follow at once, but let stragglers settle
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(
                () -> assertThat(Reliability.openFileDescriptors()).as("descriptors after the flood (before: %d)", before)
                        .isLessThanOrEqualTo(before + FD_MARGIN));
        LOG.infof("%s: %d descriptors before the flood, %d after", listener.name(), before,
                Reliability.openFileDescriptors());
    }

    interface Connector<T extends AutoCloseable> {
        T connect() throws Exception;
    }

    /** Opens {@code count} connections from {@value #THREADS} threads released together; all land in {@code into}. */
    private static <T extends AutoCloseable> void connectAtOnce(Connector<T> connector, int count, List<T> into)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<T>>> batches = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int t = 0; t < THREADS; t++) {
                int share = count / THREADS + (t < count % THREADS ? 1 : 0);
                batches.add(pool.submit(() -> {
                    List<T> mine = new ArrayList<>();
                    go.await();
                    try {
                        for (int i = 0; i < share; i++) {
                            mine.add(connector.connect());
                        }
                    } catch (Exception e) {
                        Reliability.closeAll(mine);
                        throw e;
                    }
                    return mine;
                }));
            }
            go.countDown();
        } finally {
            pool.shutdown();
            boolean ended = pool.awaitTermination(60, TimeUnit.SECONDS);
            Exception failure = null;
            for (Future<List<T>> batch : batches) {
                try {
                    into.addAll(batch.get(0, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failure = failure == null ? e : failure;
                }
            }
            assertThat(ended).as("all connects finished").isTrue();
            if (failure != null) {
                throw failure;
            }
        }
        assertThat(into).as("connected").hasSize(count);
    }
}
