package io.smprotocol.downloads.runtime.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bson.codecs.configuration.CodecRegistries.fromProviders;
import static org.bson.codecs.configuration.CodecRegistries.fromRegistries;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.bson.codecs.pojo.PojoCodecProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smprotocol.download.DownloadEndReason;

/**
 * The stats API's queries against mongo-java-server, the embedded MongoDB tracking runs on by default: every filter,
 * the hourly and daily series, the counts of repeated deliveries, the requests that were no downloads, the export.
 */
class DownloadQueriesTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:15:00Z");

    static MongoServer server;
    static MongoClient client;
    MongoDatabase database;
    DownloadQueries queries;

    @BeforeAll
    static void startMongo() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + address.getPort()))
                .codecRegistry(fromRegistries(MongoClientSettings.getDefaultCodecRegistry(),
                        fromProviders(PojoCodecProvider.builder().automatic(true).build())))
                .build());
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        server.shutdownNow();
    }

    @BeforeEach
    void freshDatabase() {
        database = client.getDatabase("stats" + System.nanoTime());
        queries = new DownloadQueries(() -> database.getCollection(Download.COLLECTION, Download.class),
                () -> database.getCollection(RequestRecord.COLLECTION, RequestRecord.class));
    }

    static Download download(String id, String userAgent, String country, Long asn, int minutes, long size,
            long bytesSent, long covered, int requests, DownloadEndReason reason) {
        Download record = new Download();
        record.id = id;
        record.file = new Download.FileRef("/f.bin", size, "\"e\"");
        record.client = new Download.Client();
        record.client.ip = "192.0.2.1";
        record.client.userAgent = userAgent;
        if (country != null) {
            record.client.geo = new Download.Geo();
            record.client.geo.countryCode = country;
        }
        if (asn != null) {
            record.client.network = new Download.Network();
            record.client.network.asn = asn;
            record.client.network.organization = "AS-" + asn;
        }
        record.node = "n1";
        record.startedAt = T0.plusSeconds(minutes * 60L);
        record.day = TrackedDownload.DAY.format(record.startedAt);
        record.lastActivityAt = record.startedAt.plusSeconds(5);
        record.bytesSent = bytesSent;
        record.coveredBytes = covered;
        record.percent = covered * 100.0 / size;
        record.completed = covered == size;
        record.requests = requests;
        record.endReason = reason;
        if (reason != null) {
            record.endedAt = record.lastActivityAt;
            record.duration = 5000L;
        }
        record.deliveries = bytesSent / size;
        return record;
    }

    /**
     * Six downloads: two completed in hour 10 (one in a single request, one fetching the file twice), an abort in hour
     * 10, a timeout in hour 12, one in progress in hour 12, and one completed the next day.
     */
    void sixDownloads() {
        database.getCollection(Download.COLLECTION, Download.class).insertMany(List.of(
                download("a", "curl/8.5.0", "FR", 3215L, 0, 1000, 1000, 1000, 1, DownloadEndReason.COMPLETED),
                download("b", "Wget/1.21", "FR", 3215L, 10, 1000, 2100, 1000, 3, DownloadEndReason.COMPLETED),
                download("c", "Mozilla/5.0 Firefox", "DE", 3320L, 20, 1000, 300, 300, 1,
                        DownloadEndReason.CLIENT_ABORTED),
                download("d", "aria2/1.37", null, null, 120, 1000, 500, 500, 4, DownloadEndReason.IDLE_TIMEOUT),
                download("e", "CURL/7.0", "GB", 2856L, 125, 1000, 100, 100, 1, null),
                download("f", "curl/8.5.0", "FR", 15169L, 24 * 60, 1000, 1000, 1000, 2,
                        DownloadEndReason.COMPLETED)));
    }

    static DownloadFilter reasons(Set<DownloadEndReason> reasons, boolean inProgress) {
        return new DownloadFilter(null, null, null, null, null, reasons, inProgress, null, null, null);
    }

    static DownloadFilter client(String country, Long asn, String userAgent) {
        return new DownloadFilter(null, null, null, null, null, Set.of(), false, country, asn, userAgent);
    }

    static List<String> ids(DownloadQueries.Page page) {
        return page.downloads().stream().map(d -> d.id).toList();
    }

    @Test
    void filtersByEndReasonOneOrSeveralAndInProgress() {
        sixDownloads();
        assertThat(ids(queries.list(reasons(Set.of(DownloadEndReason.COMPLETED), false), 0, 50)))
                .containsExactly("f", "b", "a");
        assertThat(ids(queries.list(reasons(Set.of(DownloadEndReason.CLIENT_ABORTED, DownloadEndReason.IDLE_TIMEOUT),
                false), 0, 50))).containsExactly("d", "c");
        assertThat(ids(queries.list(reasons(Set.of(), true), 0, 50))).containsExactly("e");
        assertThat(ids(queries.list(reasons(Set.of(DownloadEndReason.IDLE_TIMEOUT), true), 0, 50)))
                .containsExactly("e", "d");
        assertThat(queries.summary(reasons(Set.of(DownloadEndReason.COMPLETED), false), 10).started()).isEqualTo(3);
    }

    @Test
    void filtersByCountryAsnAndUserAgent() {
        sixDownloads();
        assertThat(ids(queries.list(client("FR", null, null), 0, 50))).containsExactly("f", "b", "a");
        assertThat(ids(queries.list(client(DownloadFilter.UNKNOWN, null, null), 0, 50))).containsExactly("d");
        assertThat(ids(queries.list(client(null, 3215L, null), 0, 50))).containsExactly("b", "a");
        assertThat(ids(queries.list(client("FR", 15169L, null), 0, 50))).containsExactly("f");
        // a part of the header, ignoring case, and never a regular expression
        assertThat(ids(queries.list(client(null, null, "curl"), 0, 50))).containsExactly("f", "e", "a");
        assertThat(ids(queries.list(client(null, null, "5.0 fire"), 0, 50))).containsExactly("c");
        assertThat(ids(queries.list(client(null, null, "aria2/1.3."), 0, 50))).isEmpty();
        assertThat(ids(queries.list(client(null, null, "c.rl"), 0, 50))).isEmpty();

        DownloadSummary french = queries.summary(client("FR", null, null), 10);
        assertThat(french.started()).isEqualTo(3);
        assertThat(french.byCountry()).containsExactly(Map.entry("FR", 3L));
        assertThat(french.bytesSent()).isEqualTo(4100);
        assertThat(queries.series(client(null, null, "curl"), DownloadSeries.Interval.DAY).buckets())
                .extracting(DownloadSeries.Bucket::started).containsExactly(2L, 1L);
    }

    @Test
    void seriesByHourAndByDay() {
        sixDownloads();
        DownloadSeries hourly = queries.series(DownloadFilter.none(), DownloadSeries.Interval.HOUR);
        assertThat(hourly.interval()).isEqualTo("hour");
        assertThat(hourly.buckets()).containsExactly(
                new DownloadSeries.Bucket(Instant.parse("2024-05-01T10:00:00Z"), 3, 2, 3400, 2300),
                new DownloadSeries.Bucket(Instant.parse("2024-05-01T12:00:00Z"), 2, 0, 600, 600),
                new DownloadSeries.Bucket(Instant.parse("2024-05-02T10:00:00Z"), 1, 1, 1000, 1000));

        DownloadSeries daily = queries.series(DownloadFilter.none(), DownloadSeries.Interval.DAY);
        assertThat(daily.interval()).isEqualTo("day");
        assertThat(daily.buckets()).containsExactly(
                new DownloadSeries.Bucket(Instant.parse("2024-05-01T00:00:00Z"), 5, 2, 4000, 2900),
                new DownloadSeries.Bucket(Instant.parse("2024-05-02T00:00:00Z"), 1, 1, 1000, 1000));

        DownloadFilter noon = new DownloadFilter(null, null, null, Instant.parse("2024-05-01T11:00:00Z"),
                Instant.parse("2024-05-02T00:00:00Z"), Set.of(), false, null, null, null);
        assertThat(queries.series(noon, DownloadSeries.Interval.HOUR).buckets()).singleElement()
                .satisfies(b -> assertThat(b.started()).isEqualTo(2));
    }

    @Test
    void countsHowOftenTheWholeFileWentOutWithinOneDownload() {
        sixDownloads();
        database.getCollection(Download.COLLECTION, Download.class).insertOne(
                download("g", "loop", null, null, 30, 1000, 9000, 1000, 9, DownloadEndReason.COMPLETED));
        DownloadSummary summary = queries.summary(DownloadFilter.none(), 10);
        // a, f once; b twice; c, d, e never whole; g nine times (counted with five and more)
        assertThat(summary.byDeliveries()).containsExactly(Map.entry("0", 3L), Map.entry("1", 2L),
                Map.entry("2", 1L), Map.entry("5+", 1L));
        assertThat(summary.completedInOneRequest()).isEqualTo(1);
        assertThat(queries.byId("b").deliveries).isEqualTo(2);
    }

    static RequestRecord request(String id, String method, String path, int status, String userAgent, int minutes) {
        RequestRecord record = new RequestRecord();
        record.id = id;
        record.method = method;
        record.path = path;
        record.status = status;
        record.reason = DownloadEndReason.COMPLETED;
        record.clientIp = "192.0.2.9";
        record.userAgent = userAgent;
        record.node = "n1";
        record.at = T0.plusSeconds(minutes * 60L);
        return record;
    }

    @Test
    void countsTheRequestsThatWereNoDownloadsAndTheMostRequestedMissingPaths() {
        List<RequestRecord> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(request("m" + i, "GET", "/missing-a", 404, "scanner", i));
        }
        requests.add(request("m3", "GET", "/missing-b", 404, "curl", 3));
        requests.add(request("m4", "HEAD", "/missing-b", 404, "curl", 4));
        requests.add(request("m5", "GET", "/missing-c", 404, "curl", 600));
        requests.add(request("h", "HEAD", "/f.bin", 200, "curl", 5));
        requests.add(request("n", "GET", "/f.bin", 304, "Mozilla", 6));
        requests.add(request("r", "GET", "/f.bin", 416, "Mozilla", 7));
        requests.add(request("x", "GET", "/private", 403, "scanner", 8));
        database.getCollection(RequestRecord.COLLECTION, RequestRecord.class).insertMany(requests);

        RequestSummary all = queries.requests(DownloadFilter.none(), 2);
        assertThat(all.total()).isEqualTo(10);
        assertThat(all.byStatus()).containsExactly(Map.entry("404", 6L), Map.entry("200", 1L), Map.entry("304", 1L),
                Map.entry("403", 1L), Map.entry("416", 1L));
        assertThat(all.byMethod()).containsExactly(Map.entry("GET", 8L), Map.entry("HEAD", 2L));
        assertThat(all.topMissing()).containsExactly(new RequestSummary.PathCount("/missing-a", 3),
                new RequestSummary.PathCount("/missing-b", 2));

        DownloadFilter firstHour = new DownloadFilter(null, null, null, T0, T0.plusSeconds(3600), Set.of(), false,
                null, null, "CURL");
        RequestSummary curl = queries.requests(firstHour, 10);
        assertThat(curl.total()).isEqualTo(3);
        assertThat(curl.topMissing()).containsExactly(new RequestSummary.PathCount("/missing-b", 2));
        assertThat(queries.requests(new DownloadFilter("/f.bin", null, null, null, null, Set.of(), false, null, null,
                null), 10).byStatus()).containsOnlyKeys("200", "304", "416");
    }

    @Test
    void exportsEveryMatchingDownloadAsCsvNewestFirst() throws IOException {
        int count = 5_000;
        List<Download> many = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            many.add(download(String.format("d%05d", i), i % 2 == 0 ? "curl, \"quoted\"" : "=cmd|' /C calc'!A0",
                    "FR", 3215L, i, 1000, 1000, 1000, 1, DownloadEndReason.COMPLETED));
        }
        database.getCollection(Download.COLLECTION, Download.class).insertMany(many);
        StringWriter out = new StringWriter();
        long written;
        try (MongoCursor<Document> cursor = queries.export(DownloadFilter.none())) {
            written = DownloadCsv.write(cursor, out);
        }
        String[] lines = out.toString().split("\r\n");
        assertThat(written).isEqualTo(count);
        assertThat(lines).hasSize(count + 1);
        assertThat(lines[0]).isEqualTo(String.join(",", DownloadCsv.COLUMNS));
        assertThat(lines[1]).isEqualTo("d04999,/f.bin,1000,\"\"\"e\"\"\",192.0.2.1,\"'=cmd|' /C calc'!A0\",FR,3215,"
                + "AS-3215,n1,2024-05-04T21:34:00Z,2024-05-04T21:34:05Z,2024-05-04T21:34:05Z,5000,1,1000,1000,100.0,"
                + "true,1,COMPLETED");
        assertThat(lines[2]).startsWith("d04998,").contains(",\"curl, \"\"quoted\"\"\",");
        assertThat(lines[count]).startsWith("d00000,");

        StringWriter aborted = new StringWriter();
        try (MongoCursor<Document> cursor = queries.export(reasons(Set.of(DownloadEndReason.CLIENT_ABORTED), false))) {
            assertThat(DownloadCsv.write(cursor, aborted)).isZero();
        }
        assertThat(aborted.toString()).isEqualTo(String.join(",", DownloadCsv.COLUMNS) + "\r\n");
    }
}
