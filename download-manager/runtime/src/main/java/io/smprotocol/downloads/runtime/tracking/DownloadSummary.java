package io.smprotocol.downloads.runtime.tracking;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code GET /smprotocol/api/downloads/summary} answers.
 *
 * @param started logical downloads started in the period
 * @param completed of which completed
 * @param inProgress of which still in progress
 * @param completionRatio {@code completed / started}, 0 when none started
 * @param bytesSent file bytes sent by all their requests
 * @param coveredBytes distinct file bytes delivered
 * @param meanDurationMs the mean duration of the downloads that ended, in milliseconds; absent when none ended
 * @param medianDurationMs their median duration
 * @param completedInOneRequest completed downloads that took a single request (no resume, no segments)
 * @param byDeliveries counts by how many times the whole file was sent within the download (bytes sent divided by
 *        the file's size, rounded down; {@code 5+} for five and more), only the counts above zero
 * @param byEndReason counts by end reason ({@code IN_PROGRESS} for those not ended)
 * @param byCountry counts by ISO country code ({@code UNKNOWN} without geo information)
 * @param byDay counts by UTC day of start, oldest first
 * @param topFiles the most downloaded files
 * @param topNetworks the networks (autonomous systems) most downloaded from; downloads whose address no ASN database
 *        entry knows count under a network without number
 * @param topUserAgents the user agents most downloaded with ({@code UNKNOWN} for requests without one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DownloadSummary(long started, long completed, long inProgress, double completionRatio,
        long bytesSent, long coveredBytes, Double meanDurationMs, Double medianDurationMs,
        long completedInOneRequest, Map<String, Long> byDeliveries, Map<String, Long> byEndReason, Map<String, Long> byCountry,
        Map<String, Long> byDay,
        List<FileCount> topFiles, List<NetworkCount> topNetworks, Map<String, Long> topUserAgents) {

    /**
     * @param path the request path
     * @param downloads logical downloads of it
     * @param completed of which completed
     * @param bytesSent file bytes sent for it
     */
    public record FileCount(String path, long downloads, long completed, long bytesSent) {
    }

    /**
     * @param asn the autonomous system number, {@code null} for downloads without network information
     * @param organization its organization as the ASN database names it, or {@code null}
     * @param downloads logical downloads from it
     * @param completed of which completed
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record NetworkCount(Long asn, String organization, long downloads, long completed) {
    }
}
