package io.smprotocol.downloads.runtime.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.codecs.pojo.annotations.BsonId;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.mongodb.panache.PanacheMongoEntityBase;
import io.quarkus.mongodb.panache.common.MongoEntity;
import io.smprotocol.download.ByteRange;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadRecord;

/**
 * One logical download, as recorded in the MongoDB collection {@value #COLLECTION}: the requests of one client (IP
 * and user agent) for one version of a file (ETag) within the session window, with the union of the byte ranges they
 * delivered. It is {@link #completed} when that union covers the whole file, however many requests it took.
 * <p>
 * Query it like any Panache entity, e.g. {@code Download.find("completed", true).list()}. Records are written by the
 * tracker only: an application reads them.
 */
@MongoEntity(collection = Download.COLLECTION)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Download extends PanacheMongoEntityBase {

    /** The collection's name. */
    public static final String COLLECTION = "downloads";

    /** The logical download's id: the download id its requests share. */
    @BsonId
    public String id;
    /** The file. */
    public FileRef file;
    /** The client. */
    public Client client;
    /** The node that served the first request ({@code quarkus.smprotocol.node-name}). */
    public String node;
    /** When the first request arrived. */
    public Instant startedAt;
    /**
     * When the download ended: for a completed one, when its last missing byte was delivered; otherwise when its last
     * request ended. Absent while it is in progress.
     */
    public Instant endedAt;
    /**
     * When a byte of the download last went out, or its last request ended: the latest progress any node recorded,
     * {@code startedAt} until then. A download in progress whose {@code lastActivityAt} is old is stalled.
     */
    public Instant lastActivityAt;
    /** {@code endedAt - startedAt} in milliseconds; absent while in progress. */
    public Long duration;
    /** The UTC day of {@code startedAt}, {@code yyyy-MM-dd}, for per-day statistics. */
    public String day;
    /** The file bytes every request of the download sent, overlaps and repeats included. */
    public long bytesSent;
    /** The distinct bytes of the file delivered: the size of the union of the delivered ranges. */
    public long coveredBytes;
    /** {@code coveredBytes} as a percentage of the file's size (100 for an empty file once requested). */
    public double percent;
    /**
     * How many times the whole file was sent within the download: {@code bytesSent} divided by the file's size,
     * rounded down (1 for an empty file once completed). 1 for a file fetched once, whether in one request or in
     * segments; 2 or more when the client fetched it again within the session window.
     */
    public long deliveries;
    /** Whether every byte of the file was delivered. */
    public boolean completed;
    /** How many requests the download took. */
    public int requests;
    /** The first requests (at most {@code quarkus.smprotocol.tracking.max-requests-per-download}), oldest first. */
    public List<RequestEntry> requestList = new ArrayList<>();
    /** The delivered byte ranges, merged and sorted. */
    public List<Range> coverage = new ArrayList<>();
    /** Why the download ended; absent while it is in progress. */
    public DownloadEndReason endReason;
    /**
     * What each node (each run of a node) contributed, keyed by node and run: replicas serving parts of one download
     * merge their contributions into one record.
     */
    public Map<String, Part> parts = new LinkedHashMap<>();
    /** Incremented on every write, so that concurrent writers never overwrite each other. */
    @JsonIgnore
    public long revision;

    /**
     * @return whether the download is still in progress
     */
    @JsonIgnore
    public boolean inProgress() {
        return endReason == null;
    }

    /** The file of a download. */
    /** @return an immutable snapshot of the record as it stands, as the download events carry it */
    public DownloadRecord toValue() {
        DownloadRecord.Client clientValue = client == null ? null
                : new DownloadRecord.Client(client.ip, client.port, client.userAgent, client.peerIp, client.forwarded,
                        client.addressType,
                        client.geo == null ? null
                                : new DownloadRecord.Geo(client.geo.countryCode, client.geo.countryName,
                                        client.geo.region, client.geo.city, client.geo.latitude,
                                        client.geo.longitude, client.geo.timeZone),
                        client.network == null ? null
                                : new DownloadRecord.Network(client.network.asn, client.network.organization));
        List<ByteRange> ranges = new ArrayList<>(coverage.size());
        for (Range range : coverage) {
            ranges.add(new ByteRange(range.first, range.last));
        }
        return new DownloadRecord(id, file == null ? null : file.path, file == null ? -1 : file.size,
                file == null ? null : file.etag, clientValue, node, startedAt, endedAt, lastActivityAt,
                duration == null ? null : Duration.ofMillis(duration), bytesSent, coveredBytes, percent, completed,
                deliveries, requests, ranges, endReason);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class FileRef {
        /** The decoded request path, e.g. {@code /docs/a b.pdf}. */
        public String path;
        /** The size in bytes. */
        public long size;
        /** The strong entity tag of the version downloaded. */
        public String etag;

        public FileRef() {
        }

        public FileRef(String path, long size, String etag) {
            this.path = path;
            this.size = size;
            this.etag = etag;
        }
    }

    /** The client of a download. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Client {
        /** The client's address; behind a trusted proxy, the one it forwarded. */
        public String ip;
        /** The client's port, {@code -1} when a proxy did not tell it. */
        public int port;
        /** The {@code User-Agent} header. */
        public String userAgent;
        /** The connection's peer: the client itself or the nearest proxy. */
        public String peerIp;
        /** Whether {@code ip} came from a forwarding header. */
        public boolean forwarded;
        /** {@code PUBLIC}, {@code PRIVATE}, {@code LOOPBACK}, {@code LINK_LOCAL} or {@code INVALID}. */
        public String addressType;
        /** From the City database; absent without one, for non-public addresses and unknown ones. */
        public Geo geo;
        /** From the ASN database; absent without one, for non-public addresses and unknown ones. */
        public Network network;
    }

    /** Where a client is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Geo {
        /** ISO 3166-1 alpha-2 country code, e.g. {@code FR}. */
        public String countryCode;
        /** The country's English name. */
        public String countryName;
        /** The most specific region (subdivision) name. */
        public String region;
        /** The city's English name. */
        public String city;
        public Double latitude;
        public Double longitude;
        /** The IANA time zone, e.g. {@code Europe/Paris}. */
        public String timeZone;
    }

    /** The network a client is in. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Network {
        /** The autonomous system number. */
        public Long asn;
        /** The organisation of that autonomous system. */
        public String organization;
    }

    /** One request of a download. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RequestEntry {
        /** Unique: node, run and request number. */
        public String key;
        /** The byte ranges sent, e.g. {@code 0-1048575} or {@code 0-9,100-199}. */
        public String range;
        /** The HTTP status answered. */
        public int status;
        /** The file bytes the client's connection accepted. */
        public long bytes;
        public Instant start;
        public Instant end;
        /** Why the request ended. */
        public DownloadEndReason reason;
    }

    /** A byte range, both ends inclusive. */
    public static class Range {
        public long first;
        public long last;

        public Range() {
        }

        public Range(long first, long last) {
            this.first = first;
            this.last = last;
        }
    }

    /** What one run of one node contributed to a download. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Part {
        public String node;
        public int requests;
        public long bytesSent;
        /** Whether that node still considers the download in progress. */
        public boolean open;
        /** When that node saw the download complete, if it did. */
        public Instant completedAt;
        /** When that node's last request ended. */
        public Instant lastActivity;
        /** That node's end reason, once it closed the download. */
        public DownloadEndReason endReason;
        /** Increases with every change that node made; an older contribution never replaces a newer one. */
        public long version;
        /** How many of that node's requests were in flight when it wrote this part. */
        public int inFlight;
        /** How that node's last request that ended ended. */
        public DownloadEndReason lastReason;
        /** Whether a request of the same client and file was refused after that node's last download request. */
        public boolean refusedLast;
        /** Whether every request of that node that ended was answered in full ({@code COMPLETED}). */
        public Boolean allAnswered;
    }
}
