package io.smprotocol.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;

class IdleSweepTest {

    private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(200);

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aTickIsAnEighthOfTheTimeoutWithinItsBounds() {
        assertThat(IdleSweep.tickFor(TimeUnit.SECONDS.toNanos(1))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(125));
        assertThat(IdleSweep.tickFor(TimeUnit.MILLISECONDS.toNanos(20))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(IdleSweep.tickFor(TimeUnit.MINUTES.toNanos(10))).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aConnectionIsToldUntilItClosesThenDroppedAndTheTimerStops() throws Exception {
        Idle connection = new Idle();
        watch(connection, TIMEOUT);
        assertThat(connection.closed.await(10, TimeUnit.SECONDS)).isTrue();
        // told at every tick until it closed
        assertThat(connection.told.get()).isEqualTo(Idle.TICKS);
        assertThat(onLoop(() -> sweep().watching())).isZero();
        assertThat(onLoop(() -> sweep().ticking())).isFalse();
        int told = connection.told.get();
        // the next connection's ticks do not reach the one dropped
        Idle next = new Idle();
        watch(next, TIMEOUT);
        assertThat(next.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(connection.told.get()).isEqualTo(told);
    }

    @Test
    void aConnectionThatFailsIsDroppedAndTheOthersGoOn() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        IdleSweep.Watched failing = now -> {
            failures.incrementAndGet();
            throw new IllegalStateException("broken");
        };
        Idle healthy = new Idle();
        watch(failing, TIMEOUT);
        watch(healthy, TIMEOUT);
        assertThat(healthy.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failures.get()).isEqualTo(1);
        assertThat(onLoop(() -> sweep().watching())).isZero();
    }

    @Test
    void aConnectionWatchedDuringATickIsKept() throws Exception {
        Idle later = new Idle();
        IdleSweep.Watched first = now -> {
            IdleSweep.watch(loop, later, TIMEOUT);
            return false;
        };
        watch(first, TIMEOUT);
        assertThat(later.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(later.told.get()).isEqualTo(Idle.TICKS);
    }

    @Test
    void aShorterTimeoutShortensTheTick() throws Exception {
        IdleSweep.Watched forever = now -> true;
        watch(forever, TimeUnit.MINUTES.toNanos(10));
        assertThat(onLoop(() -> sweep().tickNanos())).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        Idle quick = new Idle();
        watch(quick, TIMEOUT);
        assertThat(onLoop(() -> sweep().tickNanos())).isEqualTo(IdleSweep.tickFor(TIMEOUT));
        assertThat(quick.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onLoop(() -> sweep().watching())).isEqualTo(1);
    }

    private void watch(IdleSweep.Watched connection, long timeoutNanos) throws Exception {
        loop.submit(() -> IdleSweep.watch(loop, connection, timeoutNanos)).get(10, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Callable<T> action) throws Exception {
        return loop.submit(action).get(10, TimeUnit.SECONDS);
    }

    private static IdleSweep sweep() {
        return IdleSweep.onThisThread();
    }

    /** A connection that finds itself idle at the third tick it is told of, and closes. */
    private static final class Idle implements IdleSweep.Watched {
        static final int TICKS = 3;
        private final AtomicInteger told = new AtomicInteger();
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public boolean sweep(long now) {
            if (told.incrementAndGet() < TICKS) {
                return true;
            }
            closed.countDown();
            return false;
        }
    }
}
