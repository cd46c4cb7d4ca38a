package io.smprotocol.downloads.runtime.memcached;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * A warning logged at most once per interval, with the number of occurrences it stands for, so that an outage of
 * memcached (every request failing over to disk) does not flood the log.
 */
public final class RateLimitedWarning {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param log where to log
     * @param interval the least time between two lines
     */
    public RateLimitedWarning(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param message what happened
     * @param cause why, or {@code null}
     * @return whether a line was logged
     */
    public boolean warn(String message, Throwable cause) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos || !lastLogged.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return false;
        }
        long more = suppressed.getAndSet(0);
        String reason = cause == null ? "" : ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        log.warnf("%s%s%s", message, reason, more > 0 ? " (" + more + " more since the last warning)" : "");
        return true;
    }
}
