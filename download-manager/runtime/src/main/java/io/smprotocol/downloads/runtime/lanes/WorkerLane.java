package io.smprotocol.downloads.runtime.lanes;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;

/**
 * Runs tasks on a Vert.x worker thread, one after the other in the order they were submitted. Tasks submitted while
 * the lane already has a worker turn scheduled or running join that turn: under load, one hand-off to a worker (a
 * thread wake-up, the dearest part of a small request) carries many tasks instead of one each. A turn runs at most
 * {@link #TURN} tasks and then gives its thread back to the pool, scheduling the next turn, so one busy lane cannot
 * hold a worker forever.
 * <p>
 * Tasks of one lane never run concurrently: a slow task delays the ones behind it, never an event loop.
 * <p>
 * A lane for work nobody waits on (event observers) can <em>gather</em>: its first task waits a moment on a timer of
 * the submitting event loop before the worker is woken, and whatever comes meanwhile rides along.
 */
public final class WorkerLane {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");
    static final int TURN = 256;

    private final Vertx vertx;
    private final String name;
    private final long gatherMillis;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param vertx whose worker pool runs the turns
     * @param name what the lane does, for the log when a task fails
     * @param gatherMillis how long a first task waits for others before a worker is woken, 0 not to wait
     */
    public WorkerLane(Vertx vertx, String name, long gatherMillis) {
        this.vertx = vertx;
        this.name = name;
        this.gatherMillis = gatherMillis;
    }

    /** @param task to run on a worker thread after the tasks submitted before it; never blocks the caller */
    public void submit(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            if (gatherMillis > 0) {
                vertx.setTimer(gatherMillis, id -> schedule());
            } else {
                schedule();
            }
        }
    }

    private void schedule() {
        vertx.executeBlocking(() -> {
            turn();
            return null;
        }, false).onFailure(e -> {
            // the pool refused the turn (it is shutting down): nothing will run what is queued
            LOG.debugf("%s: worker turn not run: %s", name, e);
            scheduled.set(false);
        });
    }

    private void turn() {
        int ran = 0;
        while (true) {
            Runnable task = tasks.poll();
            if (task == null) {
                scheduled.set(false);
                // a task added between the poll and the flag's reset found the flag set and left it to this turn
                if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed", name);
            }
            if (++ran == TURN && !tasks.isEmpty()) {
                // the flag stays set: the next turn is this lane's
                schedule();
                return;
            }
        }
    }
}
