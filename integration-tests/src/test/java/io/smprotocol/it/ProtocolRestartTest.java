package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerState;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * Restarting one protocol leaves every other protocol's connections and throughput alone.
 */
@QuarkusTest
class ProtocolRestartTest {

    @Inject
    ProtocolManager manager;

    @Test
    void restartingSmtpDoesNotDisturbABusyPingClient() throws Exception {
        ProtocolServer smtp = Protocols.server(manager, "smtp");
        long smtpStarts = smtp.starts();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong pongs = new AtomicLong();
        AtomicLong wrongReplies = new AtomicLong();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (LineClient ping = LineClient.connect(Protocols.port(manager, "ping"));
                LineClient smtpClient = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(smtpClient.readLine()).startsWith("220 ");
            Future<?> busy = executor.submit(() -> {
                while (!stop.get()) {
                    if ("+PONG".equals(ping.command("PING"))) {
                        pongs.incrementAndGet();
                    } else {
                        wrongReplies.incrementAndGet();
                    }
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pongs.get() > 100);

            manager.restart("smtp").toCompletableFuture().get(30, TimeUnit.SECONDS);

            long afterRestart = pongs.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> pongs.get() > afterRestart + 100);
            stop.set(true);
            busy.get(10, TimeUnit.SECONDS);

            assertThat(wrongReplies.get()).isZero();
            assertThat(ping.command("PING")).isEqualTo("+PONG");
            // the SMTP client connected across the restart was closed by it
            assertThat(smtpClient.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
        } finally {
            executor.shutdownNow();
        }
        assertThat(smtp.state()).isEqualTo(ListenerState.RUNNING);
        assertThat(smtp.starts()).isEqualTo(smtpStarts + 1);
        try (LineClient again = LineClient.connect(Protocols.port(manager, "smtp"))) {
            assertThat(again.readLine()).startsWith("220 ");
        }
    }
}
