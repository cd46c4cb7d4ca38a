package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BsonField;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.smprotocol.download.DownloadEndReason;

/**
 * The queries of the stats API, on the indexes the flusher creates. Only what a real MongoDB and mongo-java-server
 * both support is used: filters, sorts, skip/limit, and {@code $match}/{@code $group}/{@code $sort}/{@code $limit}
 * aggregations, with {@code $cond}, {@code $divide}, {@code $floor} and {@code $dateToString} expressions.
 * <p>
 * The collections are reached through suppliers so that the queries run the same against a plain MongoDB client
 * (their tests) as against the Panache entities' collections (the application).
 */
@Singleton
public class DownloadQueries {

    /** The most repeated deliveries counted apart in {@link DownloadSummary#byDeliveries()}; more go together. */
    static final int MAX_DELIVERIES = 5;

    private final Supplier<MongoCollection<Download>> downloads;
    private final Supplier<MongoCollection<RequestRecord>> requests;

    /** Reads the collections of the {@link Download} and {@link RequestRecord} entities. */
    public DownloadQueries() {
        // lambdas, not method references: a reference would name the static method's declaring class,
        // PanacheMongoEntityBase, whose body Panache does not replace; a call names the entity, whose body it does
        this(() -> Download.mongoCollection(), () -> RequestRecord.mongoCollection());
    }

    DownloadQueries(Supplier<MongoCollection<Download>> downloads, Supplier<MongoCollection<RequestRecord>> requests) {
        this.downloads = downloads;
        this.requests = requests;
    }

    private MongoCollection<Document> documents() {
        return downloads.get().withDocumentClass(Document.class);
    }

    /**
     * One page of downloads.
     *
     * @param total how many match
     * @param page the page number, from 0
     * @param size the page size
     * @param downloads the page, newest first
     */
    public record Page(long total, int page, int size, List<Download> downloads) {
    }

    /**
     * @param filter what to match
     * @param page the page, from 0
     * @param size its size
     * @return the page, newest first
     */
    public Page list(DownloadFilter filter, int page, int size) {
        MongoCollection<Download> collection = downloads.get();
        Bson query = filter.bson();
        long total = collection.countDocuments(query);
        List<Download> downloads = collection.find(query).sort(Sorts.orderBy(Sorts.descending("startedAt"),
                Sorts.ascending("_id"))).skip(page * size).limit(size).into(new ArrayList<>());
        return new Page(total, page, size, downloads);
    }

    /**
     * One line of an overview of the latest downloads.
     *
     * @param id the download's id
     * @param path the file's request path
     * @param client the client's address
     * @param startedAt when it started
     * @param requests how many requests it took
     * @param bytesSent the file bytes sent
     * @param percent how much of the file the client received, 0 to 100
     * @param endReason how it ended, {@code null} while it is in progress
     */
    public record Latest(String id, String path, String client, Instant startedAt, int requests, long bytesSent,
            double percent, DownloadEndReason endReason) {
    }

    /**
     * Read here, not by the caller: code outside the indexed classes cannot read the fields of Panache entities.
     *
     * @param size how many
     * @return the latest downloads, newest first
     */
    public List<Latest> latest(int size) {
        List<Latest> latest = new ArrayList<>();
        for (Download download : list(DownloadFilter.none(), 0, size).downloads()) {
            latest.add(new Latest(download.id, download.file == null ? null : download.file.path,
                    download.client == null ? null : download.client.ip, download.startedAt, download.requests,
                    download.bytesSent, download.percent, download.endReason));
        }
        return latest;
    }

    /**
     * @param id a download id
     * @return the download, or {@code null}
     */
    public Download byId(String id) {
        return downloads.get().find(Filters.eq("_id", id)).first();
    }

    /**
     * @param filter what to summarise
     * @param top how many files to list
     * @return the summary
     */
    public DownloadSummary summary(DownloadFilter filter, int top) {
        MongoCollection<Document> collection = documents();
        Bson query = filter.bson();
        long started = collection.countDocuments(query);
        long completed = collection.countDocuments(Filters.and(query, Filters.eq("completed", true)));
        long inProgress = collection.countDocuments(Filters.and(query, Filters.eq("endReason", null)));

        long bytes = 0;
        long covered = 0;
        for (Document total : collection.aggregate(List.of(Aggregates.match(query),
                Aggregates.group(null, Accumulators.sum("bytes", "$bytesSent"),
                        Accumulators.sum("covered", "$coveredBytes"))))) {
            bytes = number(total.get("bytes")).longValue();
            covered = number(total.get("covered")).longValue();
        }

        // durations of the downloads that ended
        Bson ended = Filters.and(query, Filters.exists("duration", true), Filters.ne("duration", null));
        long endedCount = collection.countDocuments(ended);
        Double mean = null;
        Double median = null;
        if (endedCount > 0) {
            for (Document avg : collection.aggregate(List.of(Aggregates.match(ended),
                    Aggregates.group(null, Accumulators.avg("mean", "$duration"))))) {
                mean = number(avg.get("mean")).doubleValue();
            }
            List<Document> middle = collection.find(ended).sort(Sorts.ascending("duration"))
                    .skip((int) ((endedCount - 1) / 2)).limit(endedCount % 2 == 0 ? 2 : 1).into(new ArrayList<>());
            median = middle.stream().mapToDouble(d -> number(d.get("duration")).doubleValue()).average().orElse(0);
        }

        Map<String, Long> byReason = counts(collection, query, "$endReason", "IN_PROGRESS", 0);
        Map<String, Long> byCountry = counts(collection, query, "$client.geo.countryCode", "UNKNOWN", 0);
        Map<String, Long> byDay = new LinkedHashMap<>();
        for (Document day : collection.aggregate(List.of(Aggregates.match(query),
                Aggregates.group("$day", Accumulators.sum("count", 1)), Aggregates.sort(Sorts.ascending("_id"))))) {
            byDay.put(String.valueOf(day.get("_id")), number(day.get("count")).longValue());
        }
        List<DownloadSummary.FileCount> files = new ArrayList<>();
        for (Document file : top(collection, query, "$file.path", top, Accumulators.sum("bytes", "$bytesSent"))) {
            files.add(new DownloadSummary.FileCount(String.valueOf(file.get("_id")),
                    number(file.get("downloads")).longValue(), number(file.get("completed")).longValue(),
                    number(file.get("bytes")).longValue()));
        }
        List<DownloadSummary.NetworkCount> networks = new ArrayList<>();
        for (Document network : top(collection, query, "$client.network.asn", top,
                Accumulators.first("organization", "$client.network.organization"))) {
            Object asn = network.get("_id");
            Object organization = network.get("organization");
            networks.add(new DownloadSummary.NetworkCount(asn instanceof Number n ? n.longValue() : null,
                    organization == null ? null : String.valueOf(organization),
                    number(network.get("downloads")).longValue(), number(network.get("completed")).longValue()));
        }
        Map<String, Long> userAgents = counts(collection, query, "$client.userAgent", "UNKNOWN", top);
        long inOneRequest = collection.countDocuments(Filters.and(query, Filters.eq("completed", true),
                Filters.eq("requests", 1)));
        double ratio = started == 0 ? 0 : (double) completed / started;
        return new DownloadSummary(started, completed, inProgress, Math.round(ratio * 10000) / 10000.0, bytes, covered,
                mean, median, inOneRequest, deliveries(collection, query), byReason, byCountry, byDay, files, networks,
                userAgents);
    }

    /**
     * How many times each download sent the whole file: its bytes sent divided by the file's size, rounded down,
     * computed here rather than read from the record so that records written before the field existed count too.
     */
    private static Map<String, Long> deliveries(MongoCollection<Document> collection, Bson query) {
        Document times = new Document("$cond", List.of(new Document("$gt", List.of("$file.size", 0)),
                new Document("$floor", new Document("$divide", List.of("$bytesSent", "$file.size"))),
                new Document("$cond", List.of("$completed", 1, 0))));
        long[] counts = new long[MAX_DELIVERIES + 1];
        for (Document group : collection.aggregate(List.of(Aggregates.match(query),
                Aggregates.group(times, Accumulators.sum("count", 1))))) {
            int key = (int) Math.min(MAX_DELIVERIES, Math.max(0, number(group.get("_id")).longValue()));
            counts[key] += number(group.get("count")).longValue();
        }
        Map<String, Long> byDeliveries = new LinkedHashMap<>();
        for (int i = 0; i <= MAX_DELIVERIES; i++) {
            if (counts[i] > 0) {
                byDeliveries.put(i == MAX_DELIVERIES ? i + "+" : String.valueOf(i), counts[i]);
            }
        }
        return byDeliveries;
    }

    /**
     * @param filter what to count
     * @param interval the width of a bucket
     * @return the downloads started in each hour or day that has any, oldest first
     */
    public DownloadSeries series(DownloadFilter filter, DownloadSeries.Interval interval) {
        List<DownloadSeries.Bucket> buckets = new ArrayList<>();
        Document start = new Document("$dateToString", new Document("format", interval.format())
                .append("date", "$startedAt"));
        for (Document bucket : documents().aggregate(List.of(Aggregates.match(filter.bson()),
                Aggregates.group(start, Accumulators.sum("started", 1),
                        Accumulators.sum("completed", new Document("$cond", List.of("$completed", 1, 0))),
                        Accumulators.sum("bytes", "$bytesSent"), Accumulators.sum("covered", "$coveredBytes")),
                Aggregates.sort(Sorts.ascending("_id"))))) {
            if (bucket.get("_id") == null) {
                continue; // no start time: not a record the tracker wrote
            }
            buckets.add(new DownloadSeries.Bucket(interval.start(String.valueOf(bucket.get("_id"))),
                    number(bucket.get("started")).longValue(), number(bucket.get("completed")).longValue(),
                    number(bucket.get("bytes")).longValue(), number(bucket.get("covered")).longValue()));
        }
        return new DownloadSeries(interval.label(), buckets);
    }

    /**
     * The downloads to export, newest first, read from MongoDB a batch at a time as the caller consumes them: a
     * million records cost the memory of one batch. The caller closes the cursor.
     *
     * @param filter what to export
     * @return a cursor over the matching records, as documents
     */
    public MongoCursor<Document> export(DownloadFilter filter) {
        return documents().find(filter.bson()).projection(DownloadCsv.PROJECTION)
                .sort(Sorts.orderBy(Sorts.descending("startedAt"), Sorts.ascending("_id")))
                .batchSize(DownloadCsv.BATCH).cursor();
    }

    /**
     * @param filter what to count (its path, address, user agent and time)
     * @param top how many missing paths to list
     * @return the counts of the requests that were no downloads
     */
    public RequestSummary requests(DownloadFilter filter, int top) {
        MongoCollection<Document> collection = requests.get().withDocumentClass(Document.class);
        Bson query = filter.requestsBson();
        long total = collection.countDocuments(query);
        Map<String, Long> byStatus = counts(collection, query, "$status", "UNKNOWN", 0);
        Map<String, Long> byMethod = counts(collection, query, "$method", "UNKNOWN", 0);
        Map<String, Long> byReason = counts(collection, query, "$reason", "UNKNOWN", 0);
        List<RequestSummary.PathCount> missing = new ArrayList<>();
        for (Document path : collection.aggregate(List.of(Aggregates.match(Filters.and(query,
                Filters.eq("status", 404))), Aggregates.group("$path", Accumulators.sum("requests", 1)),
                Aggregates.sort(Sorts.orderBy(Sorts.descending("requests"), Sorts.ascending("_id"))),
                Aggregates.limit(top)))) {
            missing.add(new RequestSummary.PathCount(path.get("_id") == null ? null : String.valueOf(path.get("_id")),
                    number(path.get("requests")).longValue()));
        }
        return new RequestSummary(total, byStatus, byMethod, byReason, missing);
    }

    private static Map<String, Long> counts(MongoCollection<Document> collection, Bson query, String field,
            String missing, int limit) {
        List<Bson> pipeline = new ArrayList<>(List.of(Aggregates.match(query),
                Aggregates.group(field, Accumulators.sum("count", 1)),
                Aggregates.sort(Sorts.orderBy(Sorts.descending("count"), Sorts.ascending("_id")))));
        if (limit > 0) {
            pipeline.add(Aggregates.limit(limit));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Document group : collection.aggregate(pipeline)) {
            Object key = group.get("_id");
            counts.merge(key == null ? missing : String.valueOf(key), number(group.get("count")).longValue(),
                    Long::sum);
        }
        return counts;
    }

    /**
     * The {@code top} groups with the most downloads, most first: each document holds the group's key as {@code _id},
     * its {@code downloads} and {@code completed} counts and the extra field.
     */
    private static List<Document> top(MongoCollection<Document> collection, Bson query, String key, int top,
            BsonField extra) {
        return collection.aggregate(List.of(Aggregates.match(query),
                Aggregates.group(key, Accumulators.sum("downloads", 1),
                        Accumulators.sum("completed", new Document("$cond", List.of("$completed", 1, 0))), extra),
                Aggregates.sort(Sorts.orderBy(Sorts.descending("downloads"), Sorts.ascending("_id"))),
                Aggregates.limit(top))).into(new ArrayList<>());
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : 0;
    }
}
