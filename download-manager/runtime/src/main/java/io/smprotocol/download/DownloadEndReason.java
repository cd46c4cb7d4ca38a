package io.smprotocol.download;

/**
 * Why a request to the download manager ended, as {@link DownloadEnded} and the download observers see it, and why a
 * logical download ended, as download tracking records it ({@code endReason}). A logical download that ended
 * incomplete takes the reason of its last request, except {@link #PARTIAL}, {@link #REJECTED} and
 * {@link #INTERRUPTED}, which only logical downloads have.
 */
public enum DownloadEndReason {
    /** Every byte of the response was handed to the client's connection. */
    COMPLETED,
    /**
     * The client closed the connection before the response was complete (a paused or cancelled download); for a
     * logical download, nobody resumed it within the session window after that.
     */
    CLIENT_ABORTED,
    /** The client took no byte for {@code quarkus.smprotocol.download.idle-timeout}; the connection was closed. */
    IDLE_TIMEOUT,
    /** The download listener was restarted while the response was being sent. */
    SERVER_RESTART,
    /** The application shut down while the response was being sent. */
    SERVER_SHUTDOWN,
    /**
     * Refused without a body: bad path (400), signature (403, 410), not found (404), method (405), precondition
     * (412), range (416), limits (503).
     */
    REJECTED,
    /** The server failed (the file could not be read). */
    ERROR,
    /**
     * Only for logical downloads (download tracking): the process died (killed, crashed) while a request of the
     * download was in flight; recorded at the next start with what had been delivered. A client that resumes within
     * the session window continues the same download, which may still complete.
     */
    INTERRUPTED,
    /**
     * Only for logical downloads (download tracking): every request was answered in full, but together they never
     * covered the whole file, and nobody asked for the rest within the session window: a video player that seeks, a
     * reader of a few ranges, a client that only wanted the start.
     */
    PARTIAL
}
