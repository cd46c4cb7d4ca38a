package io.smprotocol.download;

import java.time.Instant;
import java.util.List;

/**
 * A CDI event fired for every request the download manager answers, once it knows the answer and before the body is
 * sent. Observe it with {@code @Observes} (called on a worker thread, never on an event loop) or
 * {@code @ObservesAsync}:
 *
 * <pre>
 * void requested(&#64;Observes DownloadRequested download) {
 *     log.infof("%s asks for %s: %d", download.clientIp(), download.path(), download.status());
 * }
 * </pre>
 *
 * A {@link DownloadEnded} with the same {@link #requestId()} follows, after this event has been delivered.
 *
 * @param requestId unique within this application run
 * @param downloadId the logical download the request belongs to: requests of one client for one file (same ETag)
 *        within {@code quarkus.smprotocol.download.session-window} share it, however many connections, ranges or
 *        pauses the download took
 * @param at when the request arrived
 * @param method {@code GET} or {@code HEAD} (another method gets 405)
 * @param path the decoded request path, e.g. {@code /docs/a b.pdf}
 * @param clientIp the client's address (behind a trusted proxy: the one it forwarded)
 * @param clientPort the client's port, {@code -1} when a proxy did not tell it
 * @param userAgent the {@code User-Agent} header, or {@code null}
 * @param fileSize the file's size, {@code -1} when no file was found
 * @param etag the file's entity tag, or {@code null}
 * @param status the HTTP status of the answer
 * @param ranges the byte ranges of the file the body holds, in order; the whole file is one range from 0
 * @param contentLength the bytes of file content the body holds (the sum of {@code ranges}), 0 for HEAD and errors
 */
public record DownloadRequested(long requestId, String downloadId, Instant at, String method, String path,
        String clientIp, int clientPort, String userAgent, long fileSize, String etag, int status, List<Range> ranges,
        long contentLength) {

    public DownloadRequested {
        ranges = List.copyOf(ranges);
    }

    /**
     * A byte range of the file, both ends inclusive.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset
     */
    public record Range(long first, long last) {

        /** @return the number of bytes */
        public long length() {
            return last - first + 1;
        }
    }
}
