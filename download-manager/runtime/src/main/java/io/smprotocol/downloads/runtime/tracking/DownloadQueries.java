package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.smprotocol.download.DownloadEndReason;

/**
 * The queries of the stats API, on the indexes the flusher creates. Only what a real MongoDB and mongo-java-server
 * both support is used: filters, sorts, skip/limit, and {@code $match}/{@code $group}/{@code $sort}/{@code $limit}
 * aggregations.
 */
@Singleton
public class DownloadQueries {

    /**
     * The filters of a query; {@code null} fields do not filter.
     *
     * @param file the exact request path
     * @param ip the exact client address
     * @param completed completed or not
     * @param from started at or after
     * @param to started before
     */
    public record Filter(String file, String ip, Boolean completed, Instant from, Instant to) {

        Bson bson() {
            List<Bson> all = new ArrayList<>();
            if (file != null) {
                all.add(Filters.eq("file.path", file));
            }
            if (ip != null) {
                all.add(Filters.eq("client.ip", ip));
            }
            if (completed != null) {
                all.add(Filters.eq("completed", completed));
            }
            if (from != null) {
                all.add(Filters.gte("startedAt", from));
            }
            if (to != null) {
                all.add(Filters.lt("startedAt", to));
            }
            return all.isEmpty() ? new Document() : all.size() == 1 ? all.get(0) : Filters.and(all);
        }
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
    public Page list(Filter filter, int page, int size) {
        MongoCollection<Download> collection = Download.mongoCollection();
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
        for (Download download : list(new Filter(null, null, null, null, null), 0, size).downloads()) {
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
        MongoCollection<Download> collection = Download.mongoCollection();
        return collection.find(Filters.eq("_id", id)).first();
    }

    /**
     * @param filter what to summarise
     * @param top how many files to list
     * @return the summary
     */
    public DownloadSummary summary(Filter filter, int top) {
        MongoCollection<Download> typed = Download.mongoCollection();
        MongoCollection<Document> collection = typed.withDocumentClass(Document.class);
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
        for (Document file : collection.aggregate(List.of(Aggregates.match(query),
                Aggregates.group("$file.path", Accumulators.sum("downloads", 1),
                        Accumulators.sum("completed", new Document("$cond", List.of("$completed", 1, 0))),
                        Accumulators.sum("bytes", "$bytesSent")),
                Aggregates.sort(Sorts.orderBy(Sorts.descending("downloads"), Sorts.ascending("_id"))),
                Aggregates.limit(top)))) {
            files.add(new DownloadSummary.FileCount(String.valueOf(file.get("_id")),
                    number(file.get("downloads")).longValue(), number(file.get("completed")).longValue(),
                    number(file.get("bytes")).longValue()));
        }
        double ratio = started == 0 ? 0 : (double) completed / started;
        return new DownloadSummary(started, completed, inProgress, Math.round(ratio * 10000) / 10000.0, bytes, covered,
                mean, median, byReason, byCountry, byDay, files);
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

    private static Number number(Object value) {
        return value instanceof Number n ? n : 0;
    }
}
