package io.smprotocol.download;

/**
 * A CDI event fired when a logical download ends without being complete: nobody resumed it within the session window
 * after the client left ({@code CLIENT_ABORTED}), went idle ({@code IDLE_TIMEOUT}), the listener restarted
 * ({@code SERVER_RESTART}) or the resumption was refused ({@code REJECTED}); or the application shut down
 * ({@code SERVER_SHUTDOWN}); or, fired at the next start, the process died while it was in progress
 * ({@code INTERRUPTED}). Fired on a worker thread (or through {@code @ObservesAsync}).
 *
 * @param download the download, with its {@code endReason}, {@code coveredBytes} and {@code percent}
 * @param reason why it ended (the record's {@code endReason})
 */
public record DownloadStopped(DownloadRecord download, DownloadEndReason reason) {
}
