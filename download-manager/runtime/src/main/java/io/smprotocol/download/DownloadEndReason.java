package io.smprotocol.download;

/**
 * Why a request to the download manager ended, as {@link DownloadEnded} and the download observers see it.
 */
public enum DownloadEndReason {
    /** Every byte of the response was handed to the client's connection. */
    COMPLETED,
    /** The client closed the connection before the response was complete (a paused or cancelled download). */
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
     * Only for logical downloads (download tracking): the process died (killed, crashed) while the download was in
     * progress; recorded at the next start with what had been delivered.
     */
    INTERRUPTED
}
