package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.ListenerState;
import io.smprotocol.it.LineClient;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * Restarting protocols under load: {@value #PING_CLIENTS} clients loop PING on {@code ping} and
 * {@value #SMTP_CLIENTS} loop NOOP on {@code smtp} while both protocols are restarted through the
 * {@link ProtocolManager}, {@value #ROUNDS} times each, alternately. Every reply a client reads is the right one
 * ({@code +PONG}, {@code 250 OK}, the SMTP greeting on a new connection); a connection the restart ends is a clean
 * close (end of stream, or a reset, never half a line), after which the client reconnects to the protocol's new port
 * and goes on. Every client makes progress after every restart; once the load stops, both protocols are back to 0
 * open connections.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class RestartUnderLoadTest {

    private static final Logger LOG = Logger.getLogger(RestartUnderLoadTest.class);

    static final int PING_CLIENTS = 20;
    static final int SMTP_CLIENTS = 4;
    static final int ROUNDS = 5;
    static final String GREETING = "220 smprotocol.demo ESMTP ready";

    @Inject
    ProtocolManager manager;

    /** One looping client: what it counted, and every wrong thing it saw. */
    final class Looper implements Runnable {
        final ProtocolServer server;
        final String command;
        final String expected;
        final String greeting;
        final AtomicLong replies = new AtomicLong();
        final AtomicLong closes = new AtomicLong();
        final AtomicLong reconnects = new AtomicLong();

        Looper(ProtocolServer server, String command, String expected, String greeting) {
            this.server = server;
            this.command = command;
            this.expected = expected;
            this.greeting = greeting;
        }

        @Override
        public void run() {
            LineClient client = null;
            try {
                while (!stop.get()) {
                    if (client == null) {
                        client = connect();
                        if (client == null) {
                            return;
                        }
                    }
                    String reply;
                    try {
                        reply = client.command(command);
                    } catch (EOFException e) {
                        if (!e.getMessage().equals("connection closed by the server")) {
                            wrong.add(server.name() + ": " + e.getMessage());
                        }
                        closes.incrementAndGet();
                        client = closeQuietly(client);
                        continue;
                    } catch (SocketTimeoutException e) {
                        wrong.add(server.name() + ": no reply to " + command + " within the timeout");
                        client = closeQuietly(client);
                        continue;
                    } catch (SocketException e) {
                        // a reset: the server closed while our command was on its way
                        closes.incrementAndGet();
                        client = closeQuietly(client);
                        continue;
                    }
                    if (reply.equals(expected)) {
                        replies.incrementAndGet();
                    } else {
                        wrong.add(server.name() + ": " + command + " answered " + reply);
                    }
                }
            } catch (IOException | RuntimeException e) {
                wrong.add(server.name() + ": " + e);
            } finally {
                closeQuietly(client);
            }
        }

        /** @return a client of the protocol's current listener, greeted if the protocol greets */
        private LineClient connect() {
            LineClient[] connected = new LineClient[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                if (stop.get()) {
                    return true;
                }
                int port = server.port();
                if (server.state() != ListenerState.RUNNING || port <= 0) {
                    return false;
                }
                LineClient client;
                try {
                    client = LineClient.connect(port, Duration.ofSeconds(10));
                } catch (IOException refused) {
                    return false;
                }
                if (greeting != null) {
                    try {
                        String first = client.readLine();
                        if (!first.equals(greeting)) {
                            wrong.add(server.name() + ": greeted with " + first);
                        }
                    } catch (EOFException | SocketException closedAtOnce) {
                        // accepted while the protocol drained: closed at once, try again
                        closes.incrementAndGet();
                        closeQuietly(client);
                        return false;
                    }
                }
                connected[0] = client;
                return true;
            });
            if (connected[0] != null) {
                reconnects.incrementAndGet();
            }
            return connected[0];
        }
    }

    final AtomicBoolean stop = new AtomicBoolean();
    final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

    @Test
    void clientsSeeARightReplyOrACleanCloseThroughRestarts() throws Exception {
        ProtocolServer ping = Reliability.protocol(manager, "ping");
        ProtocolServer smtp = Reliability.protocol(manager, "smtp");
        Reliability.awaitIdle(ping, smtp);
        long pingStarts = ping.starts();
        long smtpStarts = smtp.starts();

        List<Looper> loopers = new ArrayList<>();
        for (int i = 0; i < PING_CLIENTS; i++) {
            loopers.add(new Looper(ping, "PING", "+PONG", null));
        }
        for (int i = 0; i < SMTP_CLIENTS; i++) {
            loopers.add(new Looper(smtp, "NOOP", "250 OK", GREETING));
        }
        ExecutorService pool = Executors.newFixedThreadPool(loopers.size());
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        try {
            loopers.forEach(looper -> running.add(pool.submit(looper)));
            awaitEveryClientProgresses(loopers, "before the first restart");
            for (int round = 1; round <= ROUNDS; round++) {
                for (ProtocolServer server : List.of(smtp, ping)) {
                    manager.restart(server.name()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
                    awaitEveryClientProgresses(loopers, "after restart " + round + " of " + server.name());
                    assertThat(wrong).as("wrong replies").isEmpty();
                }
            }
        } finally {
            stop.set(true);
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
        for (Future<?> future : running) {
            future.get(0, TimeUnit.SECONDS);
        }
        long replies = loopers.stream().mapToLong(l -> l.replies.get()).sum();
        long closes = loopers.stream().mapToLong(l -> l.closes.get()).sum();
        long reconnects = loopers.stream().mapToLong(l -> l.reconnects.get()).sum();
        LOG.infof("%d restarts in %d ms: %d right replies, %d closes, %d connections, 0 wrong", 2 * ROUNDS,
                (System.nanoTime() - start) / 1_000_000, replies, closes, reconnects);
        assertThat(wrong).as("wrong replies").isEmpty();
        assertThat(ping.starts()).isEqualTo(pingStarts + ROUNDS);
        assertThat(smtp.starts()).isEqualTo(smtpStarts + ROUNDS);
        // each restart ended the connection of every client of the protocol, and each came back
        assertThat(closes).as("connections the restarts closed")
                .isGreaterThanOrEqualTo(ROUNDS * (PING_CLIENTS + SMTP_CLIENTS));
        assertThat(reconnects).as("connections made").isGreaterThanOrEqualTo((ROUNDS + 1) * loopers.size());
        Reliability.awaitOpenConnections(ping, 0);
        Reliability.awaitOpenConnections(smtp, 0);
    }

    /** Waits until every client got at least 20 more right replies than now. */
    private void awaitEveryClientProgresses(List<Looper> loopers, String when) {
        long[] now = loopers.stream().mapToLong(l -> l.replies.get()).toArray();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(wrong).as("wrong replies %s", when).isEmpty();
            for (int i = 0; i < loopers.size(); i++) {
                assertThat(loopers.get(i).replies.get()).as("replies of client %d %s", i, when)
                        .isGreaterThanOrEqualTo(now[i] + 20);
            }
        });
    }

    private static LineClient closeQuietly(LineClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        return null;
    }
}
