package io.smprotocol.download;

import java.time.Instant;
import java.util.List;

/**
 * One request as the {@link DownloadObserver}s see it once its answer is decided.
 *
 * @param id unique within this application run
 * @param downloadId the logical download: requests of one client for one file (same ETag) within the session window
 *        share it
 * @param startedAt when the request arrived
 * @param method the request method
 * @param path the decoded request path, or the raw one when it could not be decoded
 * @param client the client (behind a trusted proxy, the forwarded one) and the connection's peer
 * @param userAgent the {@code User-Agent}, or {@code null}
 * @param rangeHeader the {@code Range} header as received, or {@code null}
 * @param file the file, or {@code null} when none was found
 * @param status the status answered
 * @param ranges the ranges of the file the body holds, in the order sent; the whole file is one range from 0
 * @param contentLength the file bytes in the body (sum of the ranges; 0 for HEAD and bodiless answers)
 * @param delivery how the body goes out
 */
public record DownloadRequest(long id, String downloadId, Instant startedAt, String method, String path,
        ClientAddress client, String userAgent, String rangeHeader, FileInfo file, int status, List<ByteRange> ranges,
        long contentLength, Delivery delivery) {

    public DownloadRequest {
        ranges = List.copyOf(ranges);
    }
}
