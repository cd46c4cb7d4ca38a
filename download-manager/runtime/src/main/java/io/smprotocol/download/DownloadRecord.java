package io.smprotocol.download;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A logical download as download tracking records it: one client's requests for one file version, however many
 * connections, pauses and resumes they took. An immutable snapshot, taken when the event that carries it was fired.
 *
 * @param id the download's id (the {@link DownloadRequested#downloadId()} of its requests)
 * @param path the file's request path
 * @param fileSize the file's size in bytes
 * @param etag the file version's entity tag
 * @param client who downloaded it
 * @param node the node that served its first request ({@code quarkus.smprotocol.node-name})
 * @param startedAt when its first request arrived
 * @param endedAt when it ended, or {@code null} while in progress
 * @param lastActivityAt when a byte of it last went out or its last request ended, on any node; {@code startedAt}
 *        until then. A download in progress whose {@code lastActivityAt} is old is stalled
 * @param duration {@code endedAt - startedAt}, or {@code null} while in progress
 * @param bytesSent file bytes sent over all its requests, overlaps counted each time
 * @param coveredBytes distinct file bytes delivered
 * @param percent {@code coveredBytes} as a percentage of the file's size
 * @param completed whether every byte of the file was delivered
 * @param deliveries how many times the whole file was sent within it: {@code bytesSent} divided by the file's size,
 *        rounded down (1 for an empty file once completed); 2 or more for a client that fetched it again
 * @param requests how many requests it took
 * @param coverage the delivered byte ranges, merged and sorted
 * @param endReason why it ended, or {@code null} while in progress
 */
public record DownloadRecord(String id, String path, long fileSize, String etag, Client client, String node,
        Instant startedAt, Instant endedAt, Instant lastActivityAt, Duration duration, long bytesSent,
        long coveredBytes, double percent, boolean completed, long deliveries, int requests, List<ByteRange> coverage,
        DownloadEndReason endReason) {

    public DownloadRecord {
        coverage = List.copyOf(coverage);
    }

    /** @return whether the download is still in progress */
    public boolean inProgress() {
        return endReason == null;
    }

    /**
     * The client of a download.
     *
     * @param ip its address (behind a trusted proxy: the one it forwarded)
     * @param port its port, {@code -1} when a proxy did not tell it
     * @param userAgent its {@code User-Agent}, or {@code null}
     * @param peerIp the address of the connection's peer (the client itself, or the nearest proxy)
     * @param forwarded whether the address came from a forwarding header
     * @param addressType {@code ipv4} or {@code ipv6}
     * @param geo where the address is, or {@code null} without a city database or a match
     * @param network the network the address belongs to, or {@code null} without an ASN database or a match
     */
    public record Client(String ip, int port, String userAgent, String peerIp, boolean forwarded,
            String addressType, Geo geo, Network network) {
    }

    /**
     * Where a client's address is, from the MaxMind city database.
     *
     * @param countryCode ISO 3166-1 alpha-2, or {@code null}
     * @param countryName in English, or {@code null}
     * @param region the first subdivision's name, or {@code null}
     * @param city the city's name, or {@code null}
     * @param latitude or {@code null}
     * @param longitude or {@code null}
     * @param timeZone the IANA time zone, or {@code null}
     */
    public record Geo(String countryCode, String countryName, String region, String city, Double latitude,
            Double longitude, String timeZone) {
    }

    /**
     * The network a client's address belongs to, from the MaxMind ASN database.
     *
     * @param asn the autonomous system number, or {@code null}
     * @param organization the autonomous system's organization, or {@code null}
     */
    public record Network(Long asn, String organization) {
    }
}
