package io.smprotocol.downloads.runtime.policy;

import static io.smprotocol.downloads.runtime.policy.OnContext.on;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

class MemoryUniqueIpGuardTest {

    Vertx vertx;
    MemoryUniqueIpGuard guard = new MemoryUniqueIpGuard();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        OnContext.close(vertx);
    }

    @Test
    void aSecondDownloadOfTheSameFileToTheSameAddressIsRefusedUntilTheFirstEnds() throws Exception {
        Context first = vertx.getOrCreateContext();
        Context second = vertx.getOrCreateContext();
        UniqueIpGuard.Lease lease = on(first, () -> guard.tryAcquire("10.0.0.1", "/a.bin")).orElseThrow();

        assertThat(on(second, () -> guard.tryAcquire("10.0.0.1", "/a.bin"))).isEmpty();
        // another file, or another address, is not held back
        assertThat(on(second, () -> guard.tryAcquire("10.0.0.1", "/b.bin"))).isPresent();
        assertThat(on(second, () -> guard.tryAcquire("10.0.0.2", "/a.bin"))).isPresent();

        lease.release();
        lease.release();
        assertThat(on(second, () -> guard.tryAcquire("10.0.0.1", "/a.bin"))).isPresent();
        assertThat(guard.held()).isEqualTo(3);
    }

    /**
     * The next request can arrive on another event loop while the first download's event loop has written its last
     * byte and not yet run the release: it must not be refused for a download that is over.
     */
    @Test
    void aRequestArrivingWhileTheHolderFinishesItsLastWriteGetsTheLease() throws Exception {
        Context holder = vertx.getOrCreateContext();
        Context next = onAnotherEventLoop(holder);
        CountDownLatch asked = new CountDownLatch(1);
        AtomicReference<Future<Optional<UniqueIpGuard.Lease>>> answer = new AtomicReference<>();
        CompletableFuture<Boolean> askedWhileHeld = new CompletableFuture<>();
        holder.runOnContext(v -> {
            UniqueIpGuard.Lease lease = guard.tryAcquire("10.0.0.1", "/a.bin").result().orElseThrow();
            next.runOnContext(w -> {
                answer.set(guard.tryAcquire("10.0.0.1", "/a.bin"));
                asked.countDown();
            });
            try {
                // the holder's task goes on (its last write) while the other event loop asks
                askedWhileHeld.complete(asked.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lease.release();
        });
        assertThat(askedWhileHeld.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(answer.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(guard.held()).isEqualTo(1);
    }

    @Test
    void aRequestIsStillRefusedWhenTheHolderKeepsDownloadingAfterItsTurn() throws Exception {
        Context holder = vertx.getOrCreateContext();
        Context next = vertx.getOrCreateContext();
        on(holder, () -> guard.tryAcquire("10.0.0.1", "/a.bin")).orElseThrow();
        assertThat(on(next, () -> guard.tryAcquire("10.0.0.1", "/a.bin"))).isEmpty();
        // off any Vert.x context too
        assertThat(guard.tryAcquire("10.0.0.1", "/a.bin").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isEmpty();
    }

    /** A context whose event loop is not the given one's: the holder blocks its own in this test. */
    private Context onAnotherEventLoop(Context other) throws Exception {
        Thread taken = on(other, () -> Future.succeededFuture(Thread.currentThread()));
        for (int i = 0; i < 64; i++) {
            // Vert.x gives one thread that is not its own the same context each time: ask from a new thread
            CompletableFuture<Context> created = new CompletableFuture<>();
            new Thread(() -> created.complete(vertx.getOrCreateContext())).start();
            Context candidate = created.get(10, TimeUnit.SECONDS);
            if (on(candidate, () -> Future.succeededFuture(Thread.currentThread())) != taken) {
                return candidate;
            }
        }
        throw new IllegalStateException("Vert.x gave every context the same event loop");
    }
}
