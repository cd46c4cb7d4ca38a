package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.ListenerState;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * Seeded fuzzing of the download listener's request handling: {@value #CASES} requests from
 * {@link RequestGenerator} (seed {@value #SEED}), {@value #PARALLEL} at a time, each on its own connection, in random
 * pieces. Every request gets, within {@value #ANSWER_MILLIS} ms (or, when the server still waits for the rest of an
 * incomplete request, within {@value #CLOSE_MILLIS} ms of the client's half-close), a response or a close, never
 * silence; a response has one of the {@link #EXPECTED} status codes; a 200 or 206 of the test file carries exactly
 * its bytes; every 50th request is a well-formed GET or HEAD that must be served; afterwards a normal GET is served
 * byte for byte and the listener has no connection left.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class DownloadRequestFuzzTest {

    private static final Logger LOG = Logger.getLogger(DownloadRequestFuzzTest.class);

    static final int CASES = 1000;
    static final long SEED = 0x5EED_0003L;
    static final int PARALLEL = 4;
    static final int ANSWER_MILLIS = 1000;
    static final int CLOSE_MILLIS = 10_000;
    static final String FILE = "/fuzz/data.bin";
    static final int SIZE = 100_000;

    /**
     * What the listener answers, and who: 200, 206, 304, 403 (a directory, a bad signature), 404, 405, 410 (an expired
     * signature), 412, 416 and 400 (a refused path) from the download manager; 400 (a malformed request line or
     * header, conflicting framing, a missing or repeated Host, a folded line), 413 (a body over 64 KiB), 414 (a
     * request line over 4096 bytes), 431 (headers over 8 KiB), 501 (a transfer coding other than chunked) and 505 (a
     * version other than HTTP/1.0 and 1.1) from its strict request decoder. A 500 would be a failure of the server, a
     * 101 or an HTTP/2 frame a protocol the documentation says is not offered, a 503 a limit this profile does not set.
     */
    static final Set<Integer> EXPECTED = Set.of(200, 206, 304, 400, 403, 404, 405, 410, 412, 413, 414, 416, 431, 501,
            505);

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    @Inject
    DownloadServer download;

    static byte[] content;

    @BeforeEach
    void files() throws IOException {
        if (content == null) {
            content = Reliability.seededFile(download.root().resolve(FILE.substring(1)), SIZE, SEED);
            Files.writeString(download.root().resolve("fuzz/small.txt"), "small\n");
            Files.writeString(download.root().resolve("fuzz/résumé.txt"), "unicode\n");
            Files.createDirectories(download.root().resolve("fuzz/dir"));
        }
    }

    @Test
    void everySeededRequestGetsAnExpectedAnswerOrAClose() throws Exception {
        Reliability.awaitIdle(download);
        int port = Reliability.port(download);
        HttpProbe.Result head;
        try (HttpProbe probe = new HttpProbe(port, 10_000)) {
            probe.send("HEAD " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            head = probe.read(true, 10_000, 10_000);
        }
        assertThat(head.status()).isEqualTo(200);
        String etag = head.header("ETag");
        long now = System.currentTimeMillis() / 1000;
        RequestGenerator generator = new RequestGenerator(SEED, FILE, etag, head.header("Last-Modified"),
                download.signQuery(FILE, now + 24 * 3600), download.signQuery(FILE, now - 3600));
        List<RequestGenerator.Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            cases.add(generator.next(i));
        }

        ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> outcomes = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (RequestGenerator.Case c : cases) {
                running.add(pool.submit(() -> {
                    String outcome = run(port, c, etag, anomalies);
                    synchronized (outcomes) {
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        LOG.infof("%d fuzzed requests (seed %#x) in %d ms: %s", CASES, SEED, (System.nanoTime() - start) / 1_000_000,
                outcomes);

        // the listener is fine afterwards: it serves, and it let every connection go
        assertThat(download.state()).isEqualTo(ListenerState.RUNNING);
        try (HttpProbe probe = new HttpProbe(port, 10_000)) {
            probe.send("GET " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpProbe.Result after = probe.read(false, 10_000, 10_000);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(content);
        }
        Reliability.awaitOpenConnections(download, 0);
        assertThat(outcomes.keySet()).as("outcomes").isNotEmpty();
        if (!anomalies.isEmpty()) {
            throw new AssertionError(summary(anomalies));
        }
    }

    /** Runs one case; returns its outcome for the statistics, adds what is wrong to {@code anomalies}. */
    private String run(int port, RequestGenerator.Case c, String etag, ConcurrentLinkedQueue<String> anomalies) {
        HttpProbe.Result result;
        try (HttpProbe probe = new HttpProbe(port, CLOSE_MILLIS)) {
            try {
                probe.send(c.bytes(), c.pieces());
            } catch (IOException closedWhileSending) {
                // the server answered and closed before the request was whole (an oversized line or header): read it
            }
            // a well-formed request gets all the time it may need; the others are given a second before the half-close
            result = probe.read(c.head(), c.normal() ? CLOSE_MILLIS : ANSWER_MILLIS, CLOSE_MILLIS);
        } catch (IOException e) {
            anomalies.add(anomaly("unreadable response: " + String.valueOf(e.getMessage()).replaceAll("\\d+", "N"), c,
                    e.toString()));
            return "unreadable";
        }
        if (result.ending() == HttpProbe.Ending.SILENT) {
            anomalies.add(anomaly("no answer and no close", c, result.toString()));
            return "silent";
        }
        if (result.ending() != HttpProbe.Ending.RESPONSE) {
            if (c.normal()) {
                anomalies.add(anomaly("a normal request was not answered", c, result.toString()));
            }
            return result.ending().name().toLowerCase();
        }
        int status = result.status();
        if (!EXPECTED.contains(status)) {
            anomalies.add(anomaly("status " + status, c, result.statusLine() + " " + result.bodyText().trim()));
        } else if (c.normal() && status != 200) {
            anomalies.add(anomaly("a normal request got " + status, c, result.toString()));
        } else if (!c.head() && (status == 200 || status == 206) && etag.equals(result.header("ETag"))) {
            String problem = checkBody(result);
            if (problem != null) {
                anomalies.add(anomaly(problem, c, result.toString()));
            }
        }
        return String.valueOf(status) + (result.halfClosed() ? " after half-close" : "");
    }

    /** @return what is wrong with the body of a 200 or 206 of the test file, or {@code null} */
    private static String checkBody(HttpProbe.Result result) {
        if (result.status() == 200) {
            return Arrays.equals(result.body(), content) ? null : "a 200 of the file with other bytes";
        }
        String contentRange = result.header("Content-Range");
        if (contentRange == null) {
            String type = result.header("Content-Type");
            return type != null && type.startsWith("multipart/byteranges") ? null : "a 206 without Content-Range";
        }
        Matcher range = CONTENT_RANGE.matcher(contentRange);
        if (!range.matches() || Long.parseLong(range.group(3)) != SIZE) {
            return "a 206 with Content-Range " + contentRange;
        }
        int first = Integer.parseInt(range.group(1));
        int last = Integer.parseInt(range.group(2));
        return first <= last && last < SIZE && Arrays.equals(result.body(), Arrays.copyOfRange(content, first, last + 1))
                ? null
                : "a 206 whose bytes are not the range " + contentRange;
    }

    private static String anomaly(String kind, RequestGenerator.Case c, String got) {
        return kind + "\t#" + c.index() + ": " + LineFramingFuzzTest.escape(c.bytes(), 300) + "\n      -> " + got;
    }

    /** Groups the anomalies by kind: how many, and the first three of each. */
    private static String summary(ConcurrentLinkedQueue<String> anomalies) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        anomalies.stream().sorted().forEach(a -> byKind.computeIfAbsent(a.substring(0, a.indexOf('\t')),
                k -> new ArrayList<>()).add(a.substring(a.indexOf('\t') + 1)));
        StringBuilder text = new StringBuilder(anomalies.size() + " of " + CASES + " fuzzed requests (seed 0x"
                + Long.toHexString(SEED) + ") went wrong:");
        byKind.forEach((kind, list) -> {
            text.append("\n  ").append(list.size()).append(" x ").append(kind);
            list.stream().limit(3).forEach(example -> text.append("\n    ").append(example));
        });
        return text.toString();
    }

    // ---- what the fuzz found, one request each

    /**
     * With signed links enabled, the query is parsed for {@code expires} and {@code signature}; a malformed
     * percent-encoding there is the client's error (400), not a failure of the server.
     */
    @Test
    void aMalformedQueryIsTheClientsErrorNotTheServers() throws Exception {
        int port = Reliability.port(download);
        for (String query : List.of("expires=%zz&signature=00", "%", "a=%G0")) {
            try (HttpProbe probe = new HttpProbe(port, 10_000)) {
                probe.send("GET " + FILE + "?" + query + " HTTP/1.1\r\nHost: x\r\n\r\n");
                HttpProbe.Result response = probe.read(false, 10_000, 10_000);
                assertThat(response.status()).as("GET %s?%s: %s %s", FILE, query, response, response.bodyText().trim())
                        .isEqualTo(400);
            }
        }
    }

    /**
     * The documentation says the download listener offers neither HTTP/2 nor TLS. Cleartext HTTP/2 must then be
     * refused both ways a client asks for it: with the prior-knowledge preface, and with {@code Upgrade: h2c}, which
     * Java's own HttpClient sends by default.
     */
    @Test
    void http2IsNotOffered() throws Exception {
        int port = Reliability.port(download);
        try (HttpProbe probe = new HttpProbe(port, 10_000)) {
            probe.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            byte[] answer = probe.input().readNBytes(9);
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).as("answer to the HTTP/2 preface, %s",
                    Arrays.toString(answer)).isIn("", "HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2.0 ");
        }
        try (HttpProbe probe = new HttpProbe(port, 10_000)) {
            probe.send("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
            HttpProbe.Result response = probe.read(true, 10_000, 10_000);
            assertThat(response.status()).as("GET with Upgrade: h2c: %s", response).isEqualTo(200);
        }
        HttpResponse<byte[]> response;
        try {
            // Java 17's HttpClient cannot be closed, and it keeps its connection: the restart below ends it
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + FILE))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } finally {
            download.restart().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.version()).as("the protocol java.net.http.HttpClient ended up with")
                .isEqualTo(HttpClient.Version.HTTP_1_1);
        Reliability.awaitOpenConnections(download, 0);
    }
}
