package io.smprotocol.download;

/**
 * A CDI event fired when a logical download starts: the first request of a client (address and user agent) for a
 * file version that has no download in progress. Observe it with {@code @Observes} (on a worker thread, never on an
 * event loop) or {@code @ObservesAsync}. A {@link DownloadCompleted} or a {@link DownloadStopped} follows.
 *
 * @param download the download as it stands, with the client's geo and network fields
 */
public record DownloadStarted(DownloadRecord download) {
}
