package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * {@code max-connections} (on {@code ping}) and {@code max-connections-per-ip} (on {@code smtp}): a client over the
 * limit gets the {@code too-many-connections} line and is closed, the others go on, and a closed connection frees its
 * slot.
 */
@QuarkusTest
@TestProfile(ConnectionLimitsTest.Limits.class)
class ConnectionLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.smprotocol.protocols.ping.max-connections", "5",
                    "quarkus.smprotocol.protocols.smtp.max-connections-per-ip", "2");
        }
    }

    static final String PING_REFUSED = "-ERR max number of clients reached";
    static final String SMTP_REFUSED = "421 Too many connections, try again later";
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    @Inject
    ProtocolManager manager;

    ProtocolServer pingServer;
    ProtocolServer smtpServer;

    @BeforeEach
    void servers() {
        pingServer = Protocols.server(manager, "ping");
        smtpServer = Protocols.server(manager, "smtp");
    }

    @Test
    void theSixthConnectionIsRefusedWhileTheFirstFiveWork() throws Exception {
        int port = Protocols.port(manager, "ping");
        Protocols.awaitNoConnections(pingServer);
        long refusedBefore = pingServer.refusedConnections();
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                LineClient client = LineClient.connect(port);
                clients.add(client);
                // the reply proves the server took the connection before the next one comes
                assertThat(client.command("PING")).as("client %d", i + 1).isEqualTo("+PONG");
            }
            try (LineClient sixth = LineClient.connect(port)) {
                assertThat(sixth.readLine()).isEqualTo(PING_REFUSED);
                assertThat(sixth.closedByServerWithin(CLOSE_WAIT)).as("sixth closed by the server").isTrue();
            }
            assertThat(pingServer.refusedConnections()).isEqualTo(refusedBefore + 1);
            assertThat(pingServer.openConnections()).isEqualTo(5);
            for (LineClient client : clients) {
                assertThat(client.command("PING")).isEqualTo("+PONG");
            }

            // closing one frees its slot
            clients.remove(0).close();
            Protocols.awaitOpenConnections(pingServer, 4);
            LineClient replacement = LineClient.connect(port);
            clients.add(replacement);
            assertThat(replacement.command("PING")).isEqualTo("+PONG");
            // and the limit holds again
            try (LineClient extra = LineClient.connect(port)) {
                assertThat(extra.readLine()).isEqualTo(PING_REFUSED);
                assertThat(extra.closedByServerWithin(CLOSE_WAIT)).isTrue();
            }
        } finally {
            for (LineClient client : clients) {
                client.close();
            }
        }
        Protocols.awaitNoConnections(pingServer);
    }

    @Test
    void aThirdConnectionFromTheSameAddressIsRefused() throws Exception {
        int port = Protocols.port(manager, "smtp");
        Protocols.awaitNoConnections(smtpServer);
        long refusedBefore = smtpServer.refusedConnections();
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                LineClient client = LineClient.connect(port);
                clients.add(client);
                assertThat(client.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            }
            try (LineClient third = LineClient.connect(port)) {
                assertThat(third.readLine()).isEqualTo(SMTP_REFUSED);
                assertThat(third.closedByServerWithin(CLOSE_WAIT)).as("third closed by the server").isTrue();
            }
            assertThat(smtpServer.refusedConnections()).isEqualTo(refusedBefore + 1);
            for (LineClient client : clients) {
                assertThat(client.command("NOOP")).isEqualTo("250 OK");
            }

            clients.remove(0).close();
            Protocols.awaitOpenConnections(smtpServer, 1);
            LineClient replacement = LineClient.connect(port);
            clients.add(replacement);
            assertThat(replacement.readLine()).isEqualTo(FramingAndCommandsTest.GREETING);
            assertThat(replacement.command("NOOP")).isEqualTo("250 OK");
        } finally {
            for (LineClient client : clients) {
                client.close();
            }
        }
        Protocols.awaitNoConnections(smtpServer);
    }

    @Test
    void thePerAddressLimitOfSmtpDoesNotApplyToPing() throws Exception {
        // max-connections-per-ip=2 is set on smtp only
        int pingPort = Protocols.port(manager, "ping");
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                LineClient client = LineClient.connect(pingPort);
                clients.add(client);
                assertThat(client.command("PING")).isEqualTo("+PONG");
            }
        } finally {
            for (LineClient client : clients) {
                client.close();
            }
        }
        Protocols.awaitNoConnections(pingServer);
    }

    @Test
    void aBurstOfClientsGetsExactlyMaxConnections() throws Exception {
        int port = Protocols.port(manager, "ping");
        // twice: what the first burst counted must all have been released
        for (int round = 1; round <= 2; round++) {
            Protocols.awaitNoConnections(pingServer);
            long refusedBefore = pingServer.refusedConnections();
            List<LineClient> clients = new ArrayList<>();
            try {
                connectAtOnce(port, 20, clients);
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(pingServer.openConnections()).as("open").isEqualTo(5);
                    assertThat(pingServer.refusedConnections() - refusedBefore).as("refused").isEqualTo(15);
                });
                // ping sends nothing unasked: the clients with data waiting are the refused ones
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> clients.stream().filter(ConnectionLimitsTest::hasDataWaiting).count() == 15);
                int accepted = 0;
                for (LineClient client : clients) {
                    if (client.hasDataWaiting()) {
                        assertThat(client.readLine()).isEqualTo(PING_REFUSED);
                        assertThat(client.closedByServerWithin(CLOSE_WAIT)).isTrue();
                    } else {
                        assertThat(client.command("PING")).isEqualTo("+PONG");
                        accepted++;
                    }
                }
                assertThat(accepted).as("accepted in round %d", round).isEqualTo(5);
            } finally {
                for (LineClient client : clients) {
                    client.close();
                }
            }
        }
        Protocols.awaitNoConnections(pingServer);
    }

    @Test
    void aBurstFromOneAddressGetsExactlyMaxConnectionsPerIp() throws Exception {
        int port = Protocols.port(manager, "smtp");
        for (int round = 1; round <= 2; round++) {
            Protocols.awaitNoConnections(smtpServer);
            List<LineClient> clients = new ArrayList<>();
            try {
                connectAtOnce(port, 10, clients);
                List<String> firstLines = new ArrayList<>();
                for (LineClient client : clients) {
                    String line = client.readLine();
                    firstLines.add(line);
                    if (line.equals(FramingAndCommandsTest.GREETING)) {
                        assertThat(client.command("NOOP")).isEqualTo("250 OK");
                    } else {
                        assertThat(client.closedByServerWithin(CLOSE_WAIT)).isTrue();
                    }
                }
                assertThat(firstLines).as("first lines in round %d", round)
                        .containsOnly(FramingAndCommandsTest.GREETING, SMTP_REFUSED)
                        .filteredOn(FramingAndCommandsTest.GREETING::equals).hasSize(2);
            } finally {
                for (LineClient client : clients) {
                    client.close();
                }
            }
        }
        Protocols.awaitNoConnections(smtpServer);
    }

    private static boolean hasDataWaiting(LineClient client) {
        try {
            return client.hasDataWaiting();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects {@code count} clients from as many threads released together; every client ends up in {@code into}. */
    private static void connectAtOnce(int port, int count, List<LineClient> into) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        List<Future<LineClient>> connecting = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < count; i++) {
                connecting.add(pool.submit(() -> {
                    go.await();
                    return LineClient.connect(port);
                }));
            }
            go.countDown();
        } finally {
            pool.shutdown();
            // also when interrupted: each socket opened lands in the caller's list, so it gets closed
            boolean ended = pool.awaitTermination(60, TimeUnit.SECONDS);
            for (Future<LineClient> future : connecting) {
                if (future.isDone() && !future.isCancelled()) {
                    try {
                        into.add(future.get());
                    } catch (java.util.concurrent.ExecutionException failed) {
                        // reported below
                    }
                }
            }
            assertThat(ended).as("all connects finished").isTrue();
        }
        assertThat(into).as("connected clients").hasSize(count);
    }
}
