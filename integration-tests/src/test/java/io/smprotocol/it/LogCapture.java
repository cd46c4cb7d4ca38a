package io.smprotocol.it;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects the WARN and ERROR records logged under a category (and its children) while open. It checks on opening
 * that it really receives the category's records, so that "nothing was logged" cannot be a blind assertion.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final String probe = "log-capture-probe-" + UUID.randomUUID();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile boolean probeSeen;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = format(record);
            if (message.contains(probe)) {
                probeSeen = true;
            } else if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add(record.getLevel() + " " + record.getLoggerName() + ": " + message
                        + (record.getThrown() != null ? " [" + record.getThrown() + "]" : ""));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String category) {
        this.logger = Logger.getLogger(category);
        logger.addHandler(handler);
        Logger.getLogger(category + ".it").info(probe);
        if (!probeSeen) {
            logger.removeHandler(handler);
            throw new IllegalStateException("cannot capture the log records of " + category);
        }
    }

    /** Starts collecting the warnings and errors of {@code category}. */
    public static LogCapture warningsAndErrors(String category) {
        return new LogCapture(category);
    }

    /** @return the warnings and errors logged since opening */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private static String format(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return String.valueOf(ext.getFormattedMessage());
        }
        return String.valueOf(record.getMessage());
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
