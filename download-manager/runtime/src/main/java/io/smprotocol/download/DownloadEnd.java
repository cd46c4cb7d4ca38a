package io.smprotocol.download;

import java.time.Duration;
import java.time.Instant;

/**
 * How a request ended.
 *
 * @param reason why
 * @param bytesWritten the file bytes the client's connection accepted: the first {@code bytesWritten} bytes of the
 *        request's ranges, in order (multipart framing and headers not counted)
 * @param endedAt when
 * @param duration from arrival to end
 * @param error what failed, for {@link DownloadEndReason#ERROR}, else {@code null}
 */
public record DownloadEnd(DownloadEndReason reason, long bytesWritten, Instant endedAt, Duration duration,
        String error) {
}
