package io.smprotocol.download;

/**
 * A CDI event fired when a logical download is complete: the byte ranges its requests delivered now cover the whole
 * file, however many connections, pauses and resumes it took. Fired once per download, on a worker thread (or
 * through {@code @ObservesAsync}).
 *
 * @param download the download, {@code completed} and with {@code endReason} {@code COMPLETED}
 */
public record DownloadCompleted(DownloadRecord download) {
}
