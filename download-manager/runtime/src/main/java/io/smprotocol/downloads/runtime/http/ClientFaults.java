package io.smprotocol.downloads.runtime.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.smprotocol.runtime.server.BadInputLog;
import io.smprotocol.runtime.server.ProtocolMetrics;

/**
 * Tells what goes wrong on a connection apart, and reports each as it deserves: a client leaving is routine (DEBUG),
 * input a client got wrong is bad input (counted, logged once per cause per minute, no stack trace), and only a
 * failure of the server itself is a WARN with its stack trace. A client must not be able to fill the log.
 */
final class ClientFaults {

    private final Logger log;
    private final String listener;
    private final Supplier<ProtocolMetrics> metrics;
    private final AtomicLong badInput = new AtomicLong();
    private final BadInputLog badInputLog;

    /**
     * @param log the listener's logger
     * @param listener the listener's name, for the log
     * @param metrics the listener's metrics as they are now (they change when Micrometer binds)
     */
    ClientFaults(Logger log, String listener, Supplier<ProtocolMetrics> metrics) {
        this.log = log;
        this.listener = listener;
        this.metrics = metrics;
        this.badInputLog = new BadInputLog(log, listener, BadInputLog.INTERVAL);
    }

    /** A connection's exception handler: what Netty reported for it. */
    void connectionFailed(DownloadConnection download, Throwable failure) {
        HttpChannel connection = download.connection();
        if (ConnectionFailures.isConnectionFailure(failure)) {
            log.debugf("[%s] connection from %s failed: %s", listener, connection.peerIp(), failure.getMessage());
        } else if (failure instanceof DecoderException || failure instanceof TooLongFrameException
                || failure instanceof PrematureChannelClosureException || failure instanceof IllegalArgumentException) {
            // a request head or body the decoder could not read (a malformed chunk size or line, a head the client
            // cut short by closing): the client's error
            badInput(download, "malformed-request", failure.getMessage());
            connection.close();
        } else {
            log.warnf(failure, "[%s] connection from %s failed", listener, connection.peerIp());
        }
    }

    /**
     * A request or body refused as malformed: counted once per connection (it is closed), and logged once per cause
     * per minute at most.
     *
     * @param connection whose, or {@code null} when not known
     * @param cause a word of the listener's own
     * @param detail what exactly, or {@code null}
     */
    void badInput(DownloadConnection connection, String cause, String detail) {
        if (connection != null && !connection.firstBadInput()) {
            return;
        }
        badInput.incrementAndGet();
        metrics.get().badInput(cause);
        badInputLog.report(cause, connection == null ? "?" : connection.peerIp(), detail);
    }

    /** @return requests and bodies refused as malformed since the application started */
    long count() {
        return badInput.get();
    }
}
