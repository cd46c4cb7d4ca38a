package io.smprotocol.downloads.runtime.http;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vert.x logs every failed write of a {@code sendfile} larger than 1 MiB as an ERROR of
 * {@code io.vertx.core.net.impl.ConnectionBase}, whatever handlers the connection has: a client cancelling a large
 * download, which the download manager records as {@code CLIENT_ABORTED}, would leave an ERROR line in the log each
 * time. This filter, set on that logger, lowers such records to DEBUG when the failure is the connection's (reset,
 * broken pipe, closed); every other record of the logger passes as it was.
 */
public final class SendfileResetLogFilter implements Filter {

    static final String CATEGORY = "io.vertx.core.net.impl.ConnectionBase";

    private final Logger logger;
    private final Filter previous;

    private SendfileResetLogFilter(Logger logger, Filter previous) {
        this.logger = logger;
        this.previous = previous;
    }

    /** Sets the filter on Vert.x' connection logger, once, keeping a filter that was already there. */
    public static void install() {
        Logger logger = Logger.getLogger(CATEGORY);
        Filter current = logger.getFilter();
        if (!(current instanceof SendfileResetLogFilter)) {
            logger.setFilter(new SendfileResetLogFilter(logger, current));
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue() && record.getThrown() != null
                && ConnectionFailures.isConnectionFailure(record.getThrown())) {
            if (!logger.isLoggable(Level.FINE)) {
                return false;
            }
            record.setLevel(Level.FINE);
        }
        return previous == null || previous.isLoggable(record);
    }
}
