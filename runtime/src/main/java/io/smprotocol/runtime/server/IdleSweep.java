package io.smprotocol.runtime.server;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The idle timeouts of every connection on one event loop, kept by one timer instead of one per connection: an idle
 * connection then holds no scheduled task, no timer handle and no closure, only a slot in its event loop's array and
 * the time it was last active.
 * <p>
 * At each tick every connection watched is asked whether it has been idle for its timeout, and closes itself if so.
 * A connection is therefore closed between its timeout and its timeout plus one tick; a tick is an eighth of the
 * shortest timeout watched, between {@value #MIN_TICK_MILLIS} ms and {@value #MAX_TICK_MILLIS} ms. A connection that
 * closed is dropped at the next tick. The timer runs only while a connection is watched. Confined to its event loop.
 */
public final class IdleSweep {

    /** A connection with an idle timeout. */
    public interface Watched {

        /**
         * Called at each tick, on the connection's event loop: the connection closes itself if it has been idle for
         * its timeout.
         *
         * @param now {@link System#nanoTime()} at the tick
         * @return whether to go on watching it: {@code false} once it closed or is closing
         */
        boolean sweep(long now);
    }

    static final long MIN_TICK_MILLIS = 10;
    static final long MAX_TICK_MILLIS = 1000;
    private static final int FIRST_CAPACITY = 16;

    private static final Logger LOG = Logger.getLogger(IdleSweep.class);
    private static final FastThreadLocal<IdleSweep> PER_EVENT_LOOP = new FastThreadLocal<>();

    private final EventLoop eventLoop;
    private Watched[] watched = new Watched[FIRST_CAPACITY];
    private int size;
    private long tickNanos = Long.MAX_VALUE;
    private ScheduledFuture<?> timer;

    private IdleSweep(EventLoop eventLoop) {
        this.eventLoop = eventLoop;
    }

    /**
     * Watches a connection from now on. Called on the connection's event loop.
     *
     * @param eventLoop the connection's event loop
     * @param connection told at each tick
     * @param timeoutNanos its idle timeout, above zero
     */
    public static void watch(EventLoop eventLoop, Watched connection, long timeoutNanos) {
        IdleSweep sweep = PER_EVENT_LOOP.get();
        if (sweep == null || sweep.eventLoop != eventLoop) {
            sweep = new IdleSweep(eventLoop);
            PER_EVENT_LOOP.set(sweep);
        }
        sweep.add(connection, timeoutNanos);
    }

    /** @return the tick, in nanoseconds, for a timeout */
    static long tickFor(long timeoutNanos) {
        return Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_TICK_MILLIS),
                Math.max(TimeUnit.MILLISECONDS.toNanos(MIN_TICK_MILLIS), timeoutNanos / 8));
    }

    private void add(Watched connection, long timeoutNanos) {
        if (size == watched.length) {
            watched = Arrays.copyOf(watched, size * 2);
        }
        watched[size++] = connection;
        long tick = tickFor(timeoutNanos);
        if (tick < tickNanos) {
            tickNanos = tick;
            if (timer != null) {
                timer.cancel(false);
            }
            timer = eventLoop.schedule(this::tick, tick, TimeUnit.NANOSECONDS);
        } else if (timer == null) {
            timer = eventLoop.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        timer = null;
        long now = System.nanoTime();
        // a connection accepted while this runs is appended past the count taken here, and kept
        int count = size;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            Watched connection = watched[i];
            boolean keep;
            try {
                keep = connection.sweep(now);
            } catch (RuntimeException e) {
                // one connection's failure must not stop the others' timeouts
                LOG.errorf(e, "The idle timeout of %s failed; it is no longer watched", connection);
                keep = false;
            }
            if (keep) {
                watched[kept++] = connection;
            }
        }
        int added = size - count;
        System.arraycopy(watched, count, watched, kept, added);
        int newSize = kept + added;
        Arrays.fill(watched, newSize, size, null);
        size = newSize;
        if (size == 0) {
            // nothing watched: the event loop goes quiet, and the array a burst of connections grew is given back
            tickNanos = Long.MAX_VALUE;
            if (watched.length > FIRST_CAPACITY) {
                watched = new Watched[FIRST_CAPACITY];
            }
            return;
        }
        if (watched.length > FIRST_CAPACITY && size < watched.length / 4) {
            watched = Arrays.copyOf(watched, Math.max(FIRST_CAPACITY, size * 2));
        }
        if (timer == null) {
            timer = eventLoop.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** @return the sweep of the event loop this runs on, or {@code null}; for tests */
    static IdleSweep onThisThread() {
        return PER_EVENT_LOOP.get();
    }

    /** @return how many connections are watched; for tests */
    int watching() {
        return size;
    }

    /** @return whether the timer runs; for tests */
    boolean ticking() {
        return timer != null;
    }

    /** @return the tick now, in nanoseconds; for tests */
    long tickNanos() {
        return tickNanos;
    }
}
