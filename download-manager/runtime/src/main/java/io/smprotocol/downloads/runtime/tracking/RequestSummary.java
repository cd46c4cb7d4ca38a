package io.smprotocol.downloads.runtime.tracking;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /smprotocol/api/downloads/requests} answers: the requests of the download listener that were no
 * downloads (collection {@value RequestRecord#COLLECTION}: {@code HEAD}, {@code 304}, {@code 404}, {@code 416} and
 * the refused ones), counted.
 *
 * @param total how many match
 * @param byStatus counts by HTTP status, most frequent first
 * @param byMethod counts by method
 * @param byReason counts by how the request ended
 * @param topMissing the paths most often answered 404, most requested first
 */
public record RequestSummary(long total, Map<String, Long> byStatus, Map<String, Long> byMethod,
        Map<String, Long> byReason, List<PathCount> topMissing) {

    /**
     * @param path the decoded request path ({@code null} when the request had none that could be read)
     * @param requests how many requests asked for it
     */
    public record PathCount(String path, long requests) {
    }
}
