package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerState;
import io.smprotocol.download.ByteRange;
import io.smprotocol.download.Delivery;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadEnded;
import io.smprotocol.download.DownloadRequested;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * Ranges and validators end to end, as a table: each row is a request and the exact response expected, bodies
 * compared byte by byte with the file (multipart bodies parsed part by part), and HEAD compared with GET.
 */
@QuarkusTest
class DownloadRangesTest {

    static final int SIZE = 100_000;
    static final String FILE = "/data.bin";

    @Inject
    DownloadServer server;
    @Inject
    RecordingObserver observer;

    static byte[] content;
    String etag;
    String lastModified;

    @BeforeEach
    void files() throws IOException {
        Path root = server.root();
        if (content == null) {
            content = TestFiles.random(root.resolve("data.bin"), SIZE, 42);
            Files.writeString(root.resolve("résumé 2024.txt"), "unicode name\n");
            Files.write(root.resolve("empty.bin"), new byte[0]);
            Files.createDirectories(root.resolve("folder"));
        }
        RawHttp.Response head = RawHttp.request(port(), "HEAD", FILE);
        etag = head.header("ETag");
        lastModified = head.header("Last-Modified");
    }

    int port() {
        return server.port();
    }

    @Test
    void listensLikeAProtocol() {
        assertThat(server.name()).isEqualTo("download");
        assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
        assertThat(server.port()).isPositive();
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.failure()).isNull();
        assertThat(server.acceptedConnections()).isPositive();
    }

    /** Range header → expected status and the ranges of the file in the body ("" for the whole file). */
    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of(null, 200, ""),
                Arguments.of("bytes=0-499", 206, "0-499"),
                Arguments.of("bytes=99000-", 206, "99000-99999"),
                Arguments.of("bytes=-100", 206, "99900-99999"),
                Arguments.of("bytes=-200000", 206, "0-99999"),
                Arguments.of("bytes=99990-200000", 206, "99990-99999"),
                Arguments.of("bytes=0-0", 206, "0-0"),
                Arguments.of("bytes=0-9,50-59,-5", 206, "0-9,50-59,99995-99999"),
                Arguments.of("bytes=500-599,0-99", 206, "500-599,0-99"),
                Arguments.of("bytes=0-9, 200000-300000", 206, "0-9"),
                Arguments.of("bytes=100000-", 416, null),
                Arguments.of("bytes=-0", 416, null),
                Arguments.of("bytes=5-1", 200, ""),
                Arguments.of("bytes=abc", 200, ""),
                Arguments.of("lines=0-9", 200, ""),
                Arguments.of("bytes=0-1,2-3,4-5,6-7,8-9,10-11,12-13,14-15,16-17,18-19,20-21,22-23,24-25,26-27,28-29,"
                        + "30-31,32-33", 200, ""),
                Arguments.of("bytes=0-99999,0-99999", 200, ""));
    }

    @ParameterizedTest(name = "[{index}] Range: {0} -> {1} {2}")
    @MethodSource("ranges")
    void servesRanges(String range, int status, String expected) throws IOException {
        String[] headers = range == null ? new String[0] : new String[] { "Range: " + range };
        RawHttp.Response get = RawHttp.get(port(), FILE, headers);
        assertThat(get.status()).isEqualTo(status);
        assertThat(get.header("ETag")).isEqualTo(etag).startsWith("\"");
        assertThat(get.header("Last-Modified")).isEqualTo(lastModified);
        assertThat(get.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(get.header("Date")).isNotNull();
        if (status == 416) {
            assertThat(get.header("Content-Range")).isEqualTo("bytes */" + SIZE);
            assertThat(get.text()).isEqualTo("416 Range Not Satisfiable\n");
        } else {
            assertThat(get.header("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"data.bin\"; filename*=UTF-8''data.bin");
            List<ByteRange> ranges = parse(expected);
            if (ranges.size() > 1) {
                assertMultipart(get, ranges);
            } else {
                ByteRange only = ranges.get(0);
                assertThat(get.header("Content-Length")).isEqualTo(String.valueOf(only.length()));
                assertThat(get.body()).isEqualTo(Arrays.copyOfRange(content, (int) only.first(),
                        (int) only.last() + 1));
                assertThat(get.header("Content-Range"))
                        .isEqualTo(status == 206 ? only.contentRange(SIZE) : null);
                assertThat(get.header("Content-Type")).isEqualTo("application/octet-stream");
            }
        }
        // HEAD answers exactly the headers GET did
        RawHttp.Response head = RawHttp.request(port(), "HEAD", FILE, headers);
        assertThat(head.status()).isEqualTo(status);
        assertThat(head.headersWithoutDate()).isEqualTo(get.headersWithoutDate());
        assertThat(head.body()).isEmpty();
    }

    private static List<ByteRange> parse(String expected) {
        if (expected.isEmpty()) {
            return List.of(new ByteRange(0, SIZE - 1));
        }
        List<ByteRange> ranges = new ArrayList<>();
        for (String part : expected.split(",")) {
            String[] ends = part.split("-");
            ranges.add(new ByteRange(Long.parseLong(ends[0]), Long.parseLong(ends[1])));
        }
        return ranges;
    }

    /** Parses a multipart/byteranges body on its own and checks every part, byte by byte. */
    private static void assertMultipart(RawHttp.Response response, List<ByteRange> ranges) {
        assertMultipart(response, ranges, content);
    }

    private static void assertMultipart(RawHttp.Response response, List<ByteRange> ranges, byte[] content) {
        assertThat(response.header("Content-Range")).isNull();
        Matcher type = Pattern.compile("multipart/byteranges; boundary=(\\S+)").matcher(response.header("Content-Type"));
        assertThat(type.matches()).as(response.header("Content-Type")).isTrue();
        byte[] body = response.body();
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(body.length));
        byte[] delimiter = ("\r\n--" + type.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        int at = 0;
        for (ByteRange range : ranges) {
            assertThat(Arrays.copyOfRange(body, at, at + delimiter.length)).isEqualTo(delimiter);
            at += delimiter.length;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            String partHeaders = new String(body, at, headersEnd - at, StandardCharsets.ISO_8859_1);
            assertThat(partHeaders).isEqualTo("\r\nContent-Type: application/octet-stream\r\nContent-Range: "
                    + range.contentRange(content.length));
            at = headersEnd + 4;
            byte[] data = Arrays.copyOfRange(body, at, at + (int) range.length());
            assertThat(data).isEqualTo(Arrays.copyOfRange(content, (int) range.first(), (int) range.last() + 1));
            at += (int) range.length();
        }
        byte[] closing = ("\r\n--" + type.group(1) + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Arrays.copyOfRange(body, at, body.length)).isEqualTo(closing);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer: for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** Validator headers → expected status ({@code ETAG} and {@code DATE} stand for the file's own). */
    static Stream<Arguments> validators() {
        return Stream.of(
                Arguments.of("If-None-Match: ETAG", null, 304),
                Arguments.of("If-None-Match: W/ETAG", null, 304),
                Arguments.of("If-None-Match: \"other\", ETAG", null, 304),
                Arguments.of("If-None-Match: *", null, 304),
                Arguments.of("If-None-Match: \"other\"", null, 200),
                Arguments.of("If-Modified-Since: DATE", null, 304),
                Arguments.of("If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT", null, 200),
                Arguments.of("If-Match: \"other\"", null, 412),
                Arguments.of("If-Match: ETAG", null, 200),
                Arguments.of("If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT", null, 412),
                // If-Range: strong ETag comparison, exact date
                Arguments.of("If-Range: ETAG", "bytes=10-19", 206),
                Arguments.of("If-Range: W/ETAG", "bytes=10-19", 200),
                Arguments.of("If-Range: \"other\"", "bytes=10-19", 200),
                Arguments.of("If-Range: DATE", "bytes=10-19", 206),
                Arguments.of("If-Range: Fri, 01 Jan 2100 00:00:00 GMT", "bytes=10-19", 200),
                Arguments.of("If-Range: Thu, 01 Jan 1970 00:00:00 GMT", "bytes=10-19", 200));
    }

    @ParameterizedTest(name = "[{index}] {0} + Range {1} -> {2}")
    @MethodSource("validators")
    void honoursValidators(String condition, String range, int status) throws IOException {
        String header = condition.replace("ETAG", etag).replace("DATE", lastModified);
        List<String> headers = new ArrayList<>(List.of(header));
        if (range != null) {
            headers.add("Range: " + range);
        }
        RawHttp.Response get = RawHttp.get(port(), FILE, headers.toArray(String[]::new));
        assertThat(get.status()).isEqualTo(status);
        assertThat(get.header("ETag")).isEqualTo(etag);
        assertThat(get.header("Last-Modified")).isEqualTo(lastModified);
        switch (status) {
            case 304 -> assertThat(get.body()).isEmpty();
            case 206 -> assertThat(get.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
            case 200 -> assertThat(get.body()).isEqualTo(content);
            default -> assertThat(get.text()).isEqualTo("412 Precondition Failed\n");
        }
        RawHttp.Response head = RawHttp.request(port(), "HEAD", FILE, headers.toArray(String[]::new));
        assertThat(head.headersWithoutDate()).isEqualTo(get.headersWithoutDate());
    }

    /** Errors: short, clear bodies; HEAD gets the same headers. */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("GET", "/missing.bin", 404, "404 Not Found\n"),
                Arguments.of("GET", "/folder", 403, "403 Forbidden\n"),
                Arguments.of("GET", "/folder/", 403, "403 Forbidden\n"),
                Arguments.of("GET", "/", 403, "403 Forbidden\n"),
                Arguments.of("GET", "/../x", 400, "400 Bad Request: dot segment in path\n"),
                Arguments.of("POST", FILE, 405, "405 Method Not Allowed: only GET and HEAD\n"),
                Arguments.of("PUT", FILE, 405, "405 Method Not Allowed: only GET and HEAD\n"),
                Arguments.of("DELETE", FILE, 405, "405 Method Not Allowed: only GET and HEAD\n"),
                Arguments.of("OPTIONS", FILE, 405, "405 Method Not Allowed: only GET and HEAD\n"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @MethodSource("errors")
    void answersErrorsShortly(String method, String target, int status, String body) throws IOException {
        String[] headers = method.equals("GET") || method.equals("OPTIONS") || method.equals("DELETE")
                ? new String[0]
                : new String[] { "Content-Length: 0" };
        RawHttp.Response response = RawHttp.request(port(), method, target, headers);
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.text()).isEqualTo(body);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
        if (status == 405) {
            assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
        }
        if (method.equals("GET")) {
            RawHttp.Response head = RawHttp.request(port(), "HEAD", target);
            assertThat(head.status()).isEqualTo(status);
            assertThat(head.headersWithoutDate()).isEqualTo(response.headersWithoutDate());
        }
    }

    /** Large parts go out in many blocks, each read while the previous one drains: every byte once, in order. */
    @Test
    void sendsLargeMultipartBodiesExactly() throws IOException {
        byte[] large = TestFiles.random(server.root().resolve("large.bin"), 24 * 1024 * 1024, 43);
        int half = 12 * 1024 * 1024;
        // both halves, the second first: the parts add up to the file exactly and keep the order asked
        List<ByteRange> ranges = List.of(new ByteRange(half, large.length - 1), new ByteRange(0, half - 1));
        RawHttp.Response response = RawHttp.get(port(), "/large.bin",
                "Range: bytes=" + half + "-," + 0 + "-" + (half - 1));
        assertThat(response.status()).isEqualTo(206);
        assertMultipart(response, ranges, large);
        // a client that reads at its own pace makes the connection stall and drain while blocks are being read
        Programs.require("curl", "curl");
        Path out = Files.createTempFile("multipart", ".bin");
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "--limit-rate", "40M", "-o", out.toString(), "-H",
                    "Range: bytes=" + half + "-," + 0 + "-" + (half - 1), "http://127.0.0.1:" + port() + "/large.bin")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(curl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertMultipart(new RawHttp.Response(206, "", response.headers(), Files.readAllBytes(out)), ranges, large);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void keepsConnectionsAlive() throws IOException {
        long before = server.acceptedConnections();
        try (RawHttp http = new RawHttp(port())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = http.send("GET", FILE, "Range: bytes=" + i + "-" + i);
                assertThat(response.status()).isEqualTo(206);
                assertThat(response.body()).containsExactly(content[i]);
            }
            RawHttp.Response missing = http.send("GET", "/missing.bin");
            assertThat(missing.status()).isEqualTo(404);
            RawHttp.Response whole = http.send("GET", FILE);
            assertThat(whole.body()).isEqualTo(content);
        }
        assertThat(server.acceptedConnections()).isEqualTo(before + 1);
    }

    @Test
    void namesFilesForEveryClient() throws IOException {
        RawHttp.Response response = RawHttp.get(port(), "/r%C3%A9sum%C3%A9%202024.txt");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"r_sum_ 2024.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.txt");
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.text()).isEqualTo("unicode name\n");
    }

    @Test
    void servesEmptyFiles() throws IOException {
        RawHttp.Response response = RawHttp.get(port(), "/empty.bin");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("0");
        assertThat(RawHttp.get(port(), "/empty.bin", "Range: bytes=0-").status()).isEqualTo(416);
    }

    @Test
    void observersSeeEveryRequestRangeAndByte() throws IOException {
        RawHttp.Response response = RawHttp.get(port(), FILE, "Range: bytes=0-9,100-199", "User-Agent: table/1.0");
        assertThat(response.status()).isEqualTo(206);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended(FILE).stream()
                .anyMatch(s -> "table/1.0".equals(s.request().userAgent())));
        RecordingObserver.Seen seen = observer.ended(FILE).stream()
                .filter(s -> "table/1.0".equals(s.request().userAgent())).findFirst().orElseThrow();
        assertThat(seen.request().status()).isEqualTo(206);
        assertThat(seen.request().ranges()).containsExactly(new ByteRange(0, 9), new ByteRange(100, 199));
        assertThat(seen.request().contentLength()).isEqualTo(110);
        assertThat(seen.request().delivery()).isEqualTo(Delivery.DISK_BLOCKS);
        assertThat(seen.request().client().ip()).isEqualTo("127.0.0.1");
        assertThat(seen.request().file().etag()).isEqualTo(etag);
        assertThat(seen.end().reason()).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(seen.end().bytesWritten()).isEqualTo(110);
        // the SPI runs on the event loop (it must not block); the CDI events never do
        assertThat(seen.requestThread()).contains("eventloop");

        RawHttp.get(port(), "/nothing-here", "User-Agent: table/2.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.events().stream()
                .anyMatch(e -> e.event() instanceof DownloadEnded ended && ended.path().equals("/nothing-here")));
        List<RecordingObserver.Event> events = observer.events().stream()
                .filter(e -> e.event() instanceof DownloadRequested r && r.path().equals("/nothing-here")
                        || e.event() instanceof DownloadEnded d && d.path().equals("/nothing-here"))
                .toList();
        assertThat(events).hasSize(2);
        DownloadRequested requested = (DownloadRequested) events.get(0).event();
        DownloadEnded ended = (DownloadEnded) events.get(1).event();
        assertThat(requested.status()).isEqualTo(404);
        assertThat(requested.userAgent()).isEqualTo("table/2.0");
        assertThat(ended.requestId()).isEqualTo(requested.requestId());
        assertThat(ended.reason()).isEqualTo(DownloadEndReason.REJECTED);
        assertThat(events).allSatisfy(e -> assertThat(e.thread()).doesNotContain("eventloop"));
    }

    @Test
    void smallFilesGoOutFromMemoryWithTheSameRangesAndValidators() throws IOException {
        byte[] small = TestFiles.random(server.root().resolve("small-memory.bin"), 5000, 43);
        String target = "/small-memory.bin";
        RawHttp.Response whole = RawHttp.get(port(), target, "User-Agent: memory/1.0");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(small);
        assertThat(whole.header("Content-Length")).isEqualTo("5000");
        String smallEtag = whole.header("ETag");

        RawHttp.Response single = RawHttp.get(port(), target, "Range: bytes=-100");
        assertThat(single.status()).isEqualTo(206);
        assertThat(single.header("Content-Range")).isEqualTo("bytes 4900-4999/5000");
        assertThat(single.body()).isEqualTo(Arrays.copyOfRange(small, 4900, 5000));
        RawHttp.Response parts = RawHttp.get(port(), target, "Range: bytes=0-9,4990-");
        assertThat(parts.status()).isEqualTo(206);
        assertMultipart(parts, List.of(new ByteRange(0, 9), new ByteRange(4990, 4999)), small);
        assertThat(RawHttp.get(port(), target, "Range: bytes=5000-").status()).isEqualTo(416);
        RawHttp.Response stale = RawHttp.get(port(), target, "Range: bytes=0-9", "If-Range: \"other\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(small);
        assertThat(RawHttp.get(port(), target, "If-None-Match: " + smallEtag).status()).isEqualTo(304);

        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended(target).stream()
                .anyMatch(s -> "memory/1.0".equals(s.request().userAgent())));
        RecordingObserver.Seen seen = observer.ended(target).stream()
                .filter(s -> "memory/1.0".equals(s.request().userAgent())).findFirst().orElseThrow();
        assertThat(seen.request().delivery()).isEqualTo(Delivery.MEMORY);
        assertThat(seen.end().bytesWritten()).isEqualTo(5000);
        assertThat(seen.end().reason()).isEqualTo(DownloadEndReason.COMPLETED);
    }

    @Test
    void aSmallFileChangedInPlaceIsServedFreshWithNewValidators() throws IOException {
        Path file = server.root().resolve("small-changing.bin");
        byte[] before = TestFiles.random(file, 3000, 44);
        RawHttp.Response first = RawHttp.get(port(), "/small-changing.bin");
        assertThat(first.body()).isEqualTo(before);
        // same size, rewritten in place: only the modification time tells them apart
        byte[] after = TestFiles.random(file, 3000, 45);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        RawHttp.Response second = RawHttp.get(port(), "/small-changing.bin");
        assertThat(second.body()).isEqualTo(after);
        assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));
        assertThat(RawHttp.get(port(), "/small-changing.bin", "Range: bytes=0-9", "If-Range: " + first.header("ETag"))
                .body()).isEqualTo(after);
    }

    @Test
    void sendsWholeFilesWithSendfile() throws IOException {
        RawHttp.Response response = RawHttp.get(port(), FILE, "User-Agent: sendfile/1.0");
        assertThat(response.body()).isEqualTo(content);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended(FILE).stream()
                .anyMatch(s -> "sendfile/1.0".equals(s.request().userAgent())));
        RecordingObserver.Seen seen = observer.ended(FILE).stream()
                .filter(s -> "sendfile/1.0".equals(s.request().userAgent())).findFirst().orElseThrow();
        assertThat(seen.request().delivery()).isEqualTo(Delivery.SENDFILE);
        assertThat(seen.end().bytesWritten()).isEqualTo(SIZE);
    }
}
