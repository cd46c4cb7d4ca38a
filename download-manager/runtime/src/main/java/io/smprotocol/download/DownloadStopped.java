package io.smprotocol.download;

/**
 * A CDI event fired when a logical download ends without being complete: nobody resumed it within the session window
 * after the client left ({@code CLIENT_ABORTED}), went idle ({@code IDLE_TIMEOUT}), the listener restarted
 * ({@code SERVER_RESTART}), the resumption was refused ({@code REJECTED}) or every request was answered but they never
 * covered the file ({@code PARTIAL}); or the application shut down ({@code SERVER_SHUTDOWN}); or, fired at the next
 * start, the process died while a request of it was in flight ({@code INTERRUPTED}). A download stopped by a
 * shutdown or a crash may still be resumed and complete: a {@code DownloadCompleted} then follows. Fired on a worker thread (or
 * through {@code @ObservesAsync}).
 *
 * @param download the download, with its {@code endReason}, {@code coveredBytes} and {@code percent}
 * @param reason why it ended (the record's {@code endReason})
 */
public record DownloadStopped(DownloadRecord download, DownloadEndReason reason) {
}
