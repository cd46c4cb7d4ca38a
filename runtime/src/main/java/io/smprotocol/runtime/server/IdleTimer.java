package io.smprotocol.runtime.server;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.vertx.core.Vertx;

/**
 * Tells a connection it has been idle for its timeout: nothing received, and none of its steps at work. One Vert.x
 * timer at a time, set again for what is left of the timeout when it fires early, so that a busy connection costs no
 * timer per read. Confined to the connection's event loop.
 */
final class IdleTimer {

    private final Vertx vertx;
    private final long timeoutNanos;
    private final BooleanSupplier open;
    private final BooleanSupplier busy;
    private final LongSupplier lastActivity;
    private final LongConsumer idle;
    private long timer = -1;

    /**
     * @param timeoutNanos the idle timeout; zero or less: never idle
     * @param open whether the connection is still open
     * @param busy whether a step is at work or waiting: a hook at work is not the client's idleness
     * @param lastActivity when the connection last received something ({@link System#nanoTime()})
     * @param idle told how long the connection was idle, once it was for the timeout
     */
    IdleTimer(Vertx vertx, long timeoutNanos, BooleanSupplier open, BooleanSupplier busy, LongSupplier lastActivity,
            LongConsumer idle) {
        this.vertx = vertx;
        this.timeoutNanos = timeoutNanos;
        this.open = open;
        this.busy = busy;
        this.lastActivity = lastActivity;
        this.idle = idle;
    }

    void start() {
        arm(timeoutNanos);
    }

    /** A closed connection must not stay reachable from a timer for the rest of its idle timeout. */
    void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void arm(long delayNanos) {
        if (timeoutNanos <= 0) {
            return;
        }
        timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), ignored -> check());
    }

    private void check() {
        if (!open.getAsBoolean()) {
            return;
        }
        if (busy.getAsBoolean()) {
            arm(timeoutNanos);
            return;
        }
        long idleFor = System.nanoTime() - lastActivity.getAsLong();
        if (idleFor >= timeoutNanos) {
            idle.accept(idleFor);
        } else {
            arm(timeoutNanos - idleFor);
        }
    }
}
