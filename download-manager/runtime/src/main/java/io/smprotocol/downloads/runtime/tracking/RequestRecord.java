package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;

import org.bson.codecs.pojo.annotations.BsonId;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.mongodb.panache.PanacheMongoEntityBase;
import io.quarkus.mongodb.panache.common.MongoEntity;
import io.smprotocol.download.DownloadEndReason;

/**
 * A request of the download listener that is not a download, in the collection {@value #COLLECTION}: {@code HEAD},
 * {@code 304}, {@code 404}, {@code 416}, and every refused request (400, 403, 405, 410, 412, 503, 500). They are
 * recorded so that refusals can be counted and explained, and never count as downloads.
 */
@MongoEntity(collection = RequestRecord.COLLECTION)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RequestRecord extends PanacheMongoEntityBase {

    /** The collection's name. */
    public static final String COLLECTION = "download_requests";

    /** Unique: node, run and request number. */
    @BsonId
    public String id;
    public Instant at;
    public String method;
    /** The decoded request path. */
    public String path;
    public int status;
    public DownloadEndReason reason;
    public String clientIp;
    public String userAgent;
    /** The logical download of the same client and file in progress at the time, if there was one. */
    public String downloadId;
    public String node;
}
