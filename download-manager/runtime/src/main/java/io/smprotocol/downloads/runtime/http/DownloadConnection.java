package io.smprotocol.downloads.runtime.http;

import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.policy.RateLimit;
import io.vertx.core.http.HttpConnection;

/**
 * One client connection of the download listener: its limits, its rate limit (shared by the responses of a
 * keep-alive connection) and, when the server closes it, why.
 */
final class DownloadConnection {

    private final long id;
    private final HttpConnection connection;
    private final boolean overLimit;
    private final RateLimit rateLimit;
    /** Set before the server closes the connection, so that the response in flight ends with this reason. */
    private volatile DownloadEndReason closeReason;
    /** The exchange being answered; confined to the connection's event loop. */
    // volatile: read by the tracker for the progress of responses in flight
    private volatile DownloadExchange current;
    /** Set when the listener drains: the connection closes once its response in flight ended. */
    private volatile boolean draining;
    /** The peer's address as text, made at the first request: Vert.x formats it anew on every call. */
    private String peerIp;

    DownloadConnection(long id, HttpConnection connection, boolean overLimit, RateLimit rateLimit) {
        this.id = id;
        this.connection = connection;
        this.overLimit = overLimit;
        this.rateLimit = rateLimit;
    }

    long id() {
        return id;
    }

    HttpConnection connection() {
        return connection;
    }

    /** @return whether the connection came over {@code max-connections}: its requests get 503 */
    boolean overLimit() {
        return overLimit;
    }

    /** @return the connection's rate limit, or {@code null} when unthrottled */
    RateLimit rateLimit() {
        return rateLimit;
    }

    /** @return the address of the connection's peer, as text; on the connection's event loop */
    String peerIp() {
        String ip = peerIp;
        if (ip == null) {
            ip = connection.remoteAddress().hostAddress();
            peerIp = ip;
        }
        return ip;
    }

    DownloadExchange current() {
        return current;
    }

    void current(DownloadExchange exchange) {
        this.current = exchange;
    }

    /**
     * The listener drains: an idle connection is closed now, a busy one once its response ended.
     *
     * @return whether a response is in flight
     */
    boolean drain() {
        draining = true;
        if (current == null) {
            connection.close();
            return false;
        }
        return true;
    }

    /** @return whether the listener drains: no further request is taken on this connection */
    boolean draining() {
        return draining;
    }

    /** Marks why the server closes the connection; the first reason given wins. */
    void closing(DownloadEndReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    /** Closes the connection for the given reason. */
    void close(DownloadEndReason reason) {
        closing(reason);
        connection.close();
    }

    /** @return why a response cut short by the connection's close ended */
    DownloadEndReason abortReason() {
        DownloadEndReason reason = closeReason;
        return reason != null ? reason : DownloadEndReason.CLIENT_ABORTED;
    }
}
