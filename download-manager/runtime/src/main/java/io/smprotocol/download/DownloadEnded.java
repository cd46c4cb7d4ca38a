package io.smprotocol.download;

import java.time.Duration;

/**
 * A CDI event fired when a request of the download manager ended, completed or not: an interrupted download (client
 * gone, idle, server restart) is an end with another {@link #reason()}. Observed like {@link DownloadRequested}
 * (worker thread or {@code @ObservesAsync}), and always delivered after the request's {@code DownloadRequested}.
 *
 * @param requestId the {@link DownloadRequested#requestId()} of the request
 * @param downloadId the {@link DownloadRequested#downloadId()} of the request
 * @param path the decoded request path
 * @param clientIp the client's address
 * @param status the HTTP status that was sent
 * @param reason why it ended
 * @param bytesSent how many bytes of file content the client's connection accepted: the first {@code bytesSent}
 *        bytes of the request's ranges, taken in order
 * @param contentLength how many it would have been had the response completed
 * @param duration from the request's arrival to its end
 */
public record DownloadEnded(long requestId, String downloadId, String path, String clientIp, int status,
        DownloadEndReason reason, long bytesSent, long contentLength, Duration duration) {

    /** @return whether every byte was sent */
    public boolean completed() {
        return reason == DownloadEndReason.COMPLETED;
    }
}
