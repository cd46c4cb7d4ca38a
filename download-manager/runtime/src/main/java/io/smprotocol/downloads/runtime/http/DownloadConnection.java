package io.smprotocol.downloads.runtime.http;

import io.netty.handler.codec.http.HttpRequest;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.policy.RateLimit;

/**
 * One client connection of the download listener: its limits, its rate limit (shared by the responses of a
 * keep-alive connection) and, when the server closes it, why. It hands its channel's requests to the listener's
 * handler.
 */
final class DownloadConnection implements HttpChannel.Exchanges {

    private final long id;
    private final HttpChannel connection;
    private final DownloadRequestHandler handler;
    private final boolean overLimit;
    private final RateLimit rateLimit;
    /** Set before the server closes the connection, so that the response in flight ends with this reason. */
    private volatile DownloadEndReason closeReason;
    /** The exchange being answered; confined to the connection's event loop. */
    // volatile: read by the tracker for the progress of responses in flight
    private volatile DownloadExchange current;
    /** Set when the listener drains: the connection closes once its response in flight ended. */
    private volatile boolean draining;
    /** Bad input is counted once per connection: a malformed request and what the decoder says of it next are one. */
    private boolean badInputReported;

    DownloadConnection(long id, HttpChannel connection, DownloadRequestHandler handler, boolean overLimit,
            RateLimit rateLimit) {
        this.id = id;
        this.connection = connection;
        this.handler = handler;
        this.overLimit = overLimit;
        this.rateLimit = rateLimit;
    }

    long id() {
        return id;
    }

    HttpChannel connection() {
        return connection;
    }

    @Override
    public void request(HttpChannel channel, RequestHead head, ResponseWriter response) {
        handler.handle(this, head, response);
    }

    @Override
    public void invalid(HttpChannel channel, HttpRequest request, ResponseWriter response) {
        handler.invalid(this, request, response);
    }

    @Override
    public void badBody(HttpChannel channel, String cause, String detail) {
        handler.badBody(this, cause, detail);
    }

    @Override
    public void idle(HttpChannel channel) {
        closing(DownloadEndReason.IDLE_TIMEOUT);
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
        return connection.peerIp();
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

    /** Cuts the connection for the given reason, dropping what it still queues. */
    void close(DownloadEndReason reason) {
        closing(reason);
        connection.cut();
    }

    /** @return why a response cut short by the connection's close ended */
    DownloadEndReason abortReason() {
        DownloadEndReason reason = closeReason;
        return reason != null ? reason : DownloadEndReason.CLIENT_ABORTED;
    }

    /** @return whether bad input of this connection is reported for the first time; on its event loop */
    boolean firstBadInput() {
        boolean first = !badInputReported;
        badInputReported = true;
        return first;
    }
}
