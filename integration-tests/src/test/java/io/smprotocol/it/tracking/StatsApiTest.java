package io.smprotocol.it.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.tracking.Download;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;

/** The stats API against a known set of downloads, and its answers to bad parameters. */
@QuarkusTest
@TestProfile(TrackingProfile.class)
class StatsApiTest {

    static final int SIZE = 50_000;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    DownloadServer server;

    static String prefix;
    static String first;
    static String second;
    static String aborted;

    @BeforeEach
    void knownDownloads() throws IOException {
        if (prefix != null) {
            return;
        }
        prefix = "/stats-" + System.nanoTime();
        TestFiles.random(server.root().resolve(prefix.substring(1) + "/a.bin"), SIZE, 31);
        TestFiles.random(server.root().resolve(prefix.substring(1) + "/b.bin"), 8 * 1024 * 1024, 32);
        first = Records.agent("stats-1");
        second = Records.agent("stats-2");
        aborted = Records.agent("stats-3");
        RawHttp.get(server.port(), prefix + "/a.bin", "User-Agent: " + first,
                "X-Forwarded-For: " + GeoDatabases.LONDON);
        Records.ended(first);
        RawHttp.get(server.port(), prefix + "/a.bin", "User-Agent: " + second,
                "X-Forwarded-For: " + GeoDatabases.LONDON);
        try (RawHttp client = new RawHttp(server.port())) {
            client.sendOnly("GET", prefix + "/b.bin", "User-Agent: " + aborted, "X-Forwarded-For: 10.9.8.7");
            assertThat(client.readHead().status()).isEqualTo(200);
            client.input().readNBytes(10_000);
        }
        Records.ended(second);
        Records.ended(aborted);
    }

    static JsonNode get(String pathAndQuery, int expectedStatus) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    static Map<String, Long> counts(JsonNode map) {
        Map<String, Long> counts = new TreeMap<>();
        map.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void listsDownloadsOfAFileNewestFirst() throws Exception {
        JsonNode page = get("/smprotocol/api/downloads?file=" + q(prefix + "/a.bin"), 200);
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("downloads")).hasSize(2);
        assertThat(page.get("downloads").get(0).get("client").get("userAgent").asText()).isEqualTo(second);
        assertThat(page.get("downloads").get(1).get("client").get("userAgent").asText()).isEqualTo(first);
        JsonNode download = page.get("downloads").get(0);
        assertThat(download.get("completed").asBoolean()).isTrue();
        assertThat(download.get("endReason").asText()).isEqualTo("COMPLETED");
        assertThat(download.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(download.get("file").get("size").asLong()).isEqualTo(SIZE);
        assertThat(download.get("client").get("geo").get("countryCode").asText()).isEqualTo("GB");
        assertThat(download.get("startedAt").asText()).endsWith("Z");
        assertThat(download.has("revision")).isFalse();

        JsonNode paged = get("/smprotocol/api/downloads?file=" + q(prefix + "/a.bin") + "&size=1&page=1", 200);
        assertThat(paged.get("total").asLong()).isEqualTo(2);
        assertThat(paged.get("downloads")).singleElement()
                .satisfies(d -> assertThat(d.get("client").get("userAgent").asText()).isEqualTo(first));

        JsonNode incomplete = get("/smprotocol/api/downloads?completed=false&file=" + q(prefix + "/b.bin"), 200);
        assertThat(incomplete.get("total").asLong()).isEqualTo(1);
        assertThat(incomplete.get("downloads").get(0).get("endReason").asText()).isEqualTo("CLIENT_ABORTED");
        assertThat(get("/smprotocol/api/downloads?completed=true&file=" + q(prefix + "/b.bin"), 200)
                .get("total").asLong()).isZero();

        JsonNode byIp = get("/smprotocol/api/downloads?ip=10.9.8.7&file=" + q(prefix + "/b.bin"), 200);
        assertThat(byIp.get("total").asLong()).isEqualTo(1);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertThat(get("/smprotocol/api/downloads?from=" + tomorrow + "&file=" + q(prefix + "/a.bin"), 200)
                .get("total").asLong()).isZero();
        assertThat(get("/smprotocol/api/downloads?to=" + tomorrow + "&file=" + q(prefix + "/a.bin"), 200)
                .get("total").asLong()).isEqualTo(2);
    }

    @Test
    void returnsOneDownloadById() throws Exception {
        Download expected = Records.ended(aborted);
        JsonNode download = get("/smprotocol/api/downloads/" + expected.id, 200);
        assertThat(download.get("id").asText()).isEqualTo(expected.id);
        assertThat(download.get("client").get("addressType").asText()).isEqualTo("PRIVATE");
        assertThat(download.get("coveredBytes").asLong()).isEqualTo(expected.coveredBytes);
        assertThat(download.get("requestList")).hasSize(1);
        assertThat(get("/smprotocol/api/downloads/no-such-download", 404).get("error").asText())
                .contains("no-such-download");
    }

    @Test
    void summarisesTheKnownDownloads() throws Exception {
        JsonNode a = get("/smprotocol/api/downloads/summary?file=" + q(prefix + "/a.bin"), 200);
        assertThat(a.get("started").asLong()).isEqualTo(2);
        assertThat(a.get("completed").asLong()).isEqualTo(2);
        assertThat(a.get("inProgress").asLong()).isZero();
        assertThat(a.get("completionRatio").asDouble()).isEqualTo(1.0);
        assertThat(a.get("bytesSent").asLong()).isEqualTo(2L * SIZE);
        assertThat(a.get("coveredBytes").asLong()).isEqualTo(2L * SIZE);
        assertThat(a.get("meanDurationMs").asDouble()).isNotNegative();
        assertThat(a.get("medianDurationMs").asDouble()).isNotNegative();
        assertThat(a.get("byEndReason").get("COMPLETED").asLong()).isEqualTo(2);
        assertThat(a.get("byCountry").get("GB").asLong()).isEqualTo(2);
        assertThat(a.get("byDay").get(LocalDate.now(ZoneOffset.UTC).toString()).asLong()).isEqualTo(2);
        assertThat(a.get("topFiles")).singleElement().satisfies(f -> {
            assertThat(f.get("path").asText()).isEqualTo(prefix + "/a.bin");
            assertThat(f.get("downloads").asLong()).isEqualTo(2);
            assertThat(f.get("completed").asLong()).isEqualTo(2);
            assertThat(f.get("bytesSent").asLong()).isEqualTo(2L * SIZE);
        });
        // both from London's network (the test ASN database), each with its own user agent, the one first once
        assertThat(a.get("topNetworks")).singleElement().satisfies(n -> {
            assertThat(n.get("asn").asLong()).isEqualTo(20712);
            assertThat(n.get("organization").asText()).isEqualTo("Andrews & Arnold Ltd");
            assertThat(n.get("downloads").asLong()).isEqualTo(2);
            assertThat(n.get("completed").asLong()).isEqualTo(2);
        });
        assertThat(counts(a.get("topUserAgents"))).isEqualTo(Map.of(first, 1L, second, 1L));
        JsonNode topOne = get("/smprotocol/api/downloads/summary?top=1&file=" + q(prefix + "/a.bin"), 200);
        assertThat(topOne.get("topUserAgents")).hasSize(1);

        JsonNode b = get("/smprotocol/api/downloads/summary?file=" + q(prefix + "/b.bin"), 200);
        assertThat(b.get("started").asLong()).isEqualTo(1);
        assertThat(b.get("completed").asLong()).isZero();
        assertThat(b.get("completionRatio").asDouble()).isZero();
        assertThat(b.get("byEndReason").get("CLIENT_ABORTED").asLong()).isEqualTo(1);
        assertThat(b.get("byCountry").get("UNKNOWN").asLong()).isEqualTo(1);
        // a private address has no network: counted under one without number
        assertThat(b.get("topNetworks")).singleElement().satisfies(n -> {
            assertThat(n.get("asn").isNull()).isTrue();
            assertThat(n.get("downloads").asLong()).isEqualTo(1);
        });

        JsonNode none = get("/smprotocol/api/downloads/summary?file=/nothing-here", 200);
        assertThat(none.get("started").asLong()).isZero();
        assertThat(none.get("completionRatio").asDouble()).isZero();
        assertThat(none.has("meanDurationMs")).isFalse();
    }

    @Test
    void filtersByEndReasonAndUserAgentAndGivesLastActivity() throws Exception {
        JsonNode aborts = get("/smprotocol/api/downloads?reason=CLIENT_ABORTED,IDLE_TIMEOUT&userAgent=" + q(aborted), 200);
        assertThat(aborts.get("total").asLong()).isEqualTo(1);
        JsonNode download = aborts.get("downloads").get(0);
        assertThat(download.get("endReason").asText()).isEqualTo("CLIENT_ABORTED");
        assertThat(Instant.parse(download.get("lastActivityAt").asText()))
                .isAfterOrEqualTo(Instant.parse(download.get("startedAt").asText()));
        assertThat(get("/smprotocol/api/downloads?reason=COMPLETED&userAgent=" + q(aborted), 200).get("total").asLong())
                .isZero();
        // the user agent matches in part, ignoring case
        assertThat(get("/smprotocol/api/downloads?userAgent=" + q(first.toUpperCase()), 200).get("total").asLong())
                .isEqualTo(1);
        JsonNode london = get("/smprotocol/api/downloads/summary?country=gb&file=" + q(prefix + "/a.bin"), 200);
        assertThat(london.get("started").asLong()).isEqualTo(2);
        assertThat(london.get("completedInOneRequest").asLong()).isEqualTo(2);
        assertThat(london.get("byDeliveries").get("1").asLong()).isEqualTo(2);
        assertThat(get("/smprotocol/api/downloads/summary?country=FR&file=" + q(prefix + "/a.bin"), 200)
                .get("started").asLong()).isZero();
    }

    @Test
    void seriesPerHourAndPerDay() throws Exception {
        JsonNode hourly = get("/smprotocol/api/downloads/series?interval=hour&file=" + q(prefix + "/a.bin"), 200);
        assertThat(hourly.get("interval").asText()).isEqualTo("hour");
        long started = 0;
        for (JsonNode bucket : hourly.get("buckets")) {
            assertThat(Instant.parse(bucket.get("start").asText()).getEpochSecond() % 3600).isZero();
            started += bucket.get("started").asLong();
        }
        assertThat(started).isEqualTo(2);
        JsonNode daily = get("/smprotocol/api/downloads/series?file=" + q(prefix + "/a.bin"), 200);
        assertThat(daily.get("interval").asText()).isEqualTo("day");
        assertThat(daily.get("buckets")).singleElement().satisfies(bucket -> {
            assertThat(bucket.get("start").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC) + "T00:00:00Z");
            assertThat(bucket.get("completed").asLong()).isEqualTo(2);
            assertThat(bucket.get("bytesSent").asLong()).isEqualTo(2L * SIZE);
        });
    }

    @Test
    void exportsTheFilteredDownloadsAsCsv() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/smprotocol/api/downloads/export?file=" + q(prefix + "/a.bin"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"downloads.csv\"");
        String[] lines = response.body().split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("id,path,size,");
        assertThat(lines[1]).contains("," + prefix + "/a.bin," + SIZE + ",").contains("," + second + ",GB,");
        assertThat(lines[2]).contains("," + first + ",GB,").endsWith(",true,1,COMPLETED");
        assertThat(get("/smprotocol/api/downloads/export?reason=SOMETIMES", 400).get("error").asText())
                .contains("reason");
    }

    @Test
    void countsTheRequestsThatWereNoDownloads() throws Exception {
        String agent = Records.agent("stats-requests");
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttp.get(server.port(), prefix + "/gone.bin", "User-Agent: " + agent).status()).isEqualTo(404);
        }
        assertThat(RawHttp.get(server.port(), prefix + "/never.bin", "User-Agent: " + agent).status()).isEqualTo(404);
        assertThat(RawHttp.request(server.port(), "HEAD", prefix + "/a.bin", "User-Agent: " + agent).status())
                .isEqualTo(200);
        assertThat(RawHttp.get(server.port(), prefix + "/a.bin", "User-Agent: " + agent, "Range: bytes=999999-")
                .status()).isEqualTo(416);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/smprotocol/api/downloads/requests?userAgent=" + q(agent), 200).get("total")
                        .asLong() == 6);
        JsonNode requests = get("/smprotocol/api/downloads/requests?top=1&userAgent=" + q(agent), 200);
        assertThat(requests.get("byStatus").get("404").asLong()).isEqualTo(4);
        assertThat(requests.get("byStatus").get("200").asLong()).isEqualTo(1);
        assertThat(requests.get("byStatus").get("416").asLong()).isEqualTo(1);
        assertThat(requests.get("byMethod").get("HEAD").asLong()).isEqualTo(1);
        assertThat(requests.get("topMissing")).singleElement().satisfies(path -> {
            assertThat(path.get("path").asText()).isEqualTo(prefix + "/gone.bin");
            assertThat(path.get("requests").asLong()).isEqualTo(3);
        });
        assertThat(get("/smprotocol/api/downloads/requests?country=FR", 400).get("error").asText())
                .contains("country");
    }

    @ParameterizedTest
    @ValueSource(strings = { "reason=NOPE", "country=France", "asn=x", "asn=-1", "asn=AS" })
    void answersBadFiltersWith400(String query) throws Exception {
        assertThat(get("/smprotocol/api/downloads?" + query, 400).get("error").asText())
                .startsWith(query.split("=")[0]);
        assertThat(get("/smprotocol/api/downloads/summary?" + query, 400).get("error").asText())
                .startsWith(query.split("=")[0]);
        assertThat(get("/smprotocol/api/downloads/series?" + query, 400).get("error").asText())
                .startsWith(query.split("=")[0]);
    }

    @Test
    void theSeriesChecksItsInterval() throws Exception {
        assertThat(get("/smprotocol/api/downloads/series?interval=week", 400).get("error").asText())
                .contains("interval");
    }

    @ParameterizedTest
    @ValueSource(strings = { "completed=maybe", "from=yesterday", "to=2024-13-01", "from=2024-05-02&to=2024-05-01",
            "page=-1", "page=x", "size=0", "size=5000", "ip=not-an-ip", "file=no-slash" })
    void answersBadParametersWith400AndAJsonError(String query) throws Exception {
        JsonNode error = get("/smprotocol/api/downloads?" + query, 400);
        assertThat(error.get("error").asText()).isNotBlank().contains(query.split("=")[0].equals("from")
                && query.contains("&") ? "from" : query.split("=")[0]);
    }

    @Test
    void theSummaryChecksItsParametersToo() throws Exception {
        assertThat(get("/smprotocol/api/downloads/summary?top=0", 400).get("error").asText()).contains("top");
        assertThat(get("/smprotocol/api/downloads/summary?from=soon", 400).get("error").asText()).contains("from");
    }
}
