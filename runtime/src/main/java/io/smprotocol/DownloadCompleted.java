package io.smprotocol;

import io.smprotocol.runtime.tracking.Download;

/**
 * A CDI event fired when a logical download is complete: the byte ranges its requests delivered now cover the whole
 * file, however many connections, pauses and resumes it took. Fired once per download, on a worker thread (or
 * through {@code @ObservesAsync}).
 *
 * @param download the record, {@code completed} and with {@code endReason} {@code COMPLETED}
 */
public record DownloadCompleted(Download download) {
}
