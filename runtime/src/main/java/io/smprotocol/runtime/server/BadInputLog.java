package io.smprotocol.runtime.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Logs what clients send wrong: one line per cause per interval at most, with how many more it stands for, and never
 * a stack trace. A malformed request is the client's fault, not the server's; logged in full, anyone who can reach the
 * port could fill the disk with the log. Causes are words chosen by the listener (never the client's bytes), so the
 * table of causes stays small; the detail of the first occurrence is shown, shortened and with control characters
 * escaped.
 */
public final class BadInputLog {

    /** The least time between two lines of one cause. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_DETAIL = 120;

    private final Logger log;
    private final String listener;
    private final long intervalNanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    /**
     * @param log where to log
     * @param listener the listener's name, shown in brackets like the listener's other lines
     * @param interval the least time between two lines of one cause
     */
    public BadInputLog(Logger log, String listener, Duration interval) {
        this.log = log;
        this.listener = listener;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param cause a word of the listener's own, such as {@code obs-fold}
     * @param client who sent it, as shown in the line
     * @param detail what exactly, or {@code null}; may hold the client's bytes
     * @return whether a line was logged
     */
    public boolean report(String cause, Object client, String detail) {
        Window window = windows.computeIfAbsent(cause, c -> new Window());
        long now = System.nanoTime();
        long last = window.lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos || !window.lastLogged.compareAndSet(last, now)) {
            window.suppressed.incrementAndGet();
            return false;
        }
        long more = window.suppressed.getAndSet(0);
        log.infof("[%s] refused input from %s: %s%s%s", listener, client, cause,
                detail == null ? "" : " (" + printable(detail) + ")",
                more > 0 ? ", " + more + " more of this cause since the last line" : "");
        return true;
    }

    /** @return the text shortened, with control and non-ASCII characters as {@code \xNN} */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_DETAIL) + 8);
        for (int i = 0; i < text.length() && out.length() < MAX_DETAIL; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", c & 0xff));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_DETAIL) {
            out.append("...");
        }
        return out.toString();
    }
}
