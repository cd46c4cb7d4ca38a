package io.smprotocol.runtime.server;

import java.util.ArrayDeque;

import io.smprotocol.Frame;
import io.vertx.core.Future;

/**
 * The steps of one connection, run one at a time in arrival order: a step starts only once the one before it is
 * done, synchronously or when its future completes, whatever thread completes it. What each step does is the
 * connection's ({@link Runner}). Confined to the connection's event loop.
 */
final class StepQueue {

    /** Steps waiting at which the queue is full: reading pauses. */
    private static final int FULL_AT = 64;
    /** Steps waiting at or below which the queue has caught up: reading resumes. */
    private static final int CAUGHT_UP_AT = 16;

    /** What runs the steps and hears how the queue goes. */
    interface Runner {

        /** Runs a queued step; it is done when the future completes. */
        Future<Void> run(Step step);

        /** Runs a command or backend reply that found nothing queued, without a step object. */
        Future<Void> runUnqueued(Step.Kind kind, Frame frame, String line);

        /** A step waits on something asynchronous: what the steps before it wrote can go out meanwhile. */
        void waiting();

        /** No step is left to run, for now. */
        void drained();

        /** A step failed: the queue goes on; the runner tells of it. */
        void failed(Throwable failure);
    }

    private final Runner runner;
    /**
     * Made when a step first has to wait: most connections run every step as it comes and never need one. Small at
     * first; pipelining grows it.
     */
    private ArrayDeque<Step> steps;
    private boolean running;

    StepQueue(Runner runner) {
        this.runner = runner;
    }

    /** @return whether no step runs or waits */
    boolean idle() {
        return !running && (steps == null || steps.isEmpty());
    }

    /** @return whether a step is at work */
    boolean running() {
        return running;
    }

    /** @return whether so many steps wait that reading must pause */
    boolean full() {
        return steps != null && steps.size() >= FULL_AT;
    }

    /** @return whether few enough steps wait that reading paused can resume */
    boolean caughtUp() {
        return steps == null || steps.size() <= CAUGHT_UP_AT;
    }

    /** @return the step queued last, or {@code null} when none waits */
    Step last() {
        return steps == null ? null : steps.peekLast();
    }

    /** Queues a step; {@link #run()} runs it. */
    void add(Step step) {
        if (steps == null) {
            steps = new ArrayDeque<>(4);
        }
        steps.add(step);
    }

    /** Runs a step that found the queue {@link #idle()}, without queueing it, then goes on as {@link #run()}. */
    void runNow(Step step) {
        if (settle(start(step))) {
            run();
        }
    }

    /**
     * Runs a command or backend reply that found the queue {@link #idle()}, then what it caused to be queued (a close
     * once its reply went out).
     */
    void runAtOnce(Step.Kind kind, Frame frame, String line) {
        running = true;
        Future<Void> done;
        try {
            done = runner.runUnqueued(kind, frame, line);
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        if (settle(done) && steps != null && !steps.isEmpty()) {
            run();
        }
    }

    /** Runs the waiting steps until one has to wait or none is left; does nothing while a step is at work. */
    void run() {
        while (!running) {
            Step step = steps == null ? null : steps.poll();
            if (step == null) {
                runner.drained();
                return;
            }
            if (!settle(start(step))) {
                return;
            }
            // finished synchronously: loop instead of recursing, a pipelining client can queue many lines
        }
    }

    /** Starts a step: the queue is busy until {@link #settle} ends it. */
    private Future<Void> start(Step step) {
        running = true;
        try {
            return runner.run(step);
        } catch (RuntimeException e) {
            // a codec's or hook's failure thrown instead of returned must not leave the queue stuck
            return Future.failedFuture(e);
        }
    }

    /**
     * Ends the running step when it is done: at once, or when its future completes, after which the queue goes on.
     *
     * @return whether the step was already done
     */
    private boolean settle(Future<Void> done) {
        if (done.isComplete()) {
            running = false;
            failedIf(done.cause());
            return true;
        }
        runner.waiting();
        done.onComplete(result -> {
            running = false;
            failedIf(result.cause());
            run();
        });
        return false;
    }

    private void failedIf(Throwable failure) {
        if (failure != null) {
            runner.failed(failure);
        }
    }
}
