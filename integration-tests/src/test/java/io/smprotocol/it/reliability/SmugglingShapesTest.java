package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.ListenerState;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.it.LogCapture;

/**
 * Request-smuggling shapes on the download listener: Content-Length and Transfer-Encoding in their combinations,
 * chunk-size tricks, header folding, bare CR and bare LF, each followed by a second request that must never be served
 * on the same connection when the first was malformed. Every case gets a clean answer (a status the listener gives)
 * or a close; the listener stays up and serves afterwards; and the log stays bounded: a burst of 1,000 bad requests
 * leaves at most one line per cause, none with a stack trace.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class SmugglingShapesTest {

    static final String FILE = "/smuggling/small.txt";
    static final String BODY = "small\n";
    /** Would answer 404: served on the connection of a malformed request, it was smuggled. */
    static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    @Inject
    DownloadServer download;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(download.root().resolve("smuggling"));
        Files.writeString(download.root().resolve("smuggling/small.txt"), BODY);
    }

    /**
     * A shape, and whether it is well-formed (then it must be served, and the request after it too) or tolerated
     * (either refused and closed, or served as well-formed).
     */
    record Shape(String name, String head, boolean wellFormed, boolean tolerated) {
        Shape(String name, String head, boolean wellFormed) {
            this(name, head, wellFormed, false);
        }
    }

    static List<Shape> shapes() {
        String get = "GET " + FILE + " HTTP/1.1\r\nHost: x\r\n";
        List<Shape> shapes = new ArrayList<>();
        // CL and TE
        shapes.add(new Shape("CL.TE", get + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false));
        shapes.add(new Shape("TE.CL", get + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n", false));
        shapes.add(new Shape("TE twice", get + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                false));
        shapes.add(new Shape("TE chunked, identity", get + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
                false));
        shapes.add(new Shape("TE gzip, chunked", get + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", false));
        shapes.add(new Shape("TE xchunked", get + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", false));
        shapes.add(new Shape("TE space before colon", get + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", false));
        shapes.add(new Shape("TE on HTTP/1.0", "GET " + FILE + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                false));
        shapes.add(new Shape("two CL", get + "Content-Length: 0\r\nContent-Length: 6\r\n\r\n", false));
        shapes.add(new Shape("CL list", get + "Content-Length: 0, 6\r\n\r\n", false));
        shapes.add(new Shape("CL sign", get + "Content-Length: +6\r\n\r\n", false));
        shapes.add(new Shape("CL negative", get + "Content-Length: -1\r\n\r\n", false));
        shapes.add(new Shape("CL huge", get + "Content-Length: 99999999999999999999\r\n\r\n", false));
        // chunk sizes
        shapes.add(
                new Shape("chunk size overflow", get + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\nx\r\n0\r\n\r\n",
                        false));
        shapes.add(new Shape("chunk size 0x", get + "Transfer-Encoding: chunked\r\n\r\n0x1\r\nx\r\n0\r\n\r\n", false));
        shapes.add(new Shape("chunk size negative", get + "Transfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n", false));
        shapes.add(new Shape("chunk ext bare LF", get + "Transfer-Encoding: chunked\r\n\r\n1;a\nx\r\n0\r\n\r\n", false));
        shapes.add(new Shape("chunk without CRLF", get + "Transfer-Encoding: chunked\r\n\r\n1\r\nxx0\r\n\r\n", false));
        shapes.add(new Shape("chunk size bare LF", get + "Transfer-Encoding: chunked\r\n\r\n1\nx\r\n0\r\n\r\n", false));
        shapes.add(new Shape("chunked body, well-formed", get + "Transfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\n\r\n",
                true));
        // folding
        shapes.add(new Shape("fold with space", get + "X-A: a\r\n b\r\n\r\n", false));
        shapes.add(new Shape("fold with tab", get + "X-A: a\r\n\tTransfer-Encoding: chunked\r\n\r\n", false));
        shapes.add(new Shape("fold of Host", "GET " + FILE + " HTTP/1.1\r\nHost:\r\n x\r\n\r\n", false));
        // bare CR and LF
        shapes.add(new Shape("bare CR in a header", get + "X-A: a\rTransfer-Encoding: chunked\r\n\r\n", false));
        // RFC 9112 2.2: a bare CR is refused or replaced by a space; Netty reads it as white space in the request line
        shapes.add(new Shape("bare CR in the request line", "GET " + FILE + "\r HTTP/1.1\r\nHost: x\r\n\r\n", false,
                true));
        shapes.add(new Shape("bare LF line ends", "GET " + FILE + " HTTP/1.1\nHost: x\n\n", false));
        shapes.add(new Shape("NUL in a header", get + "X-A: a\0b\r\n\r\n", false));
        shapes.add(new Shape("space in a header name", get + "X A: b\r\n\r\n", false));
        shapes.add(new Shape("GET, well-formed", get + "\r\n", true));
        return shapes;
    }

    @Test
    void everyShapeGetsACleanAnswerOrACloseAndNothingIsSmuggled() throws IOException {
        int port = Reliability.port(download);
        List<String> problems = new ArrayList<>();
        for (Shape shape : shapes()) {
            try (HttpProbe probe = new HttpProbe(port, 10_000)) {
                try {
                    probe.send(shape.head() + SMUGGLED);
                } catch (IOException closedWhileSending) {
                    // answered and closed before the rest was sent: read what came
                }
                HttpProbe.Result first = probe.read(false, 2_000, 10_000);
                if (first.ending() == HttpProbe.Ending.SILENT) {
                    problems.add(shape.name() + ": no answer and no close");
                    continue;
                }
                if (first.ending() != HttpProbe.Ending.RESPONSE) {
                    if (shape.wellFormed()) {
                        problems.add(shape.name() + ": " + first);
                    }
                    continue;
                }
                if (shape.wellFormed() || shape.tolerated() && first.status() == 200) {
                    if (first.status() != 200 || !first.bodyText().equals(BODY)) {
                        problems.add(shape.name() + ": " + first);
                    }
                    HttpProbe.Result second = probe.read(false, 10_000, 10_000);
                    if (second.status() != 404) {
                        problems.add(shape.name() + ": the request after it got " + second);
                    }
                    continue;
                }
                if (first.status() < 400 || first.status() >= 500 && first.status() != 501 && first.status() != 505) {
                    problems.add(shape.name() + ": " + first + " " + first.bodyText().trim());
                    continue;
                }
                // after refusing, the listener closes: nothing that followed is read as a request
                if (!probe.closedByServer(10_000)) {
                    problems.add(shape.name() + ": " + first + ", then the connection stayed open");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(download.state()).isEqualTo(ListenerState.RUNNING);
        try (HttpProbe probe = new HttpProbe(port, 10_000)) {
            probe.send("GET " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(probe.read(false, 10_000, 10_000).bodyText()).isEqualTo(BODY);
        }
        Reliability.awaitOpenConnections(download, 0);
    }

    @Test
    void aClientThatClosesInTheMiddleOfARequestHeadIsNoWarning() throws Exception {
        int port = Reliability.port(download);
        long seen = download.acceptedConnections() + download.refusedConnections();
        try (LogCapture log = LogCapture.warningsAndErrors("io.smprotocol")) {
            for (int i = 0; i < 20; i++) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nUser-Ag")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                }
            }
            // every connection taken and closed: its failure, if any, was logged by then
            org.awaitility.Awaitility.await().atMost(Reliability.RELEASE).until(
                    () -> download.acceptedConnections() + download.refusedConnections() >= seen + 20);
            Reliability.awaitOpenConnections(download, 0);
            assertThat(log.problems()).as("a head cut short is the client's, like a reset").isEmpty();
        }
    }

    @Test
    void aBurstOfAThousandBadRequestsLeavesALineOrSoPerCause() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        List<String> causes = List.of(
                "GET " + FILE + " HTTP/1.1\r\n\r\n",
                "GET " + FILE + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET " + FILE + " HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n",
                "GET " + FILE + " HTTP/2.0\r\nHost: x\r\n\r\n",
                "GET " + FILE + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET " + FILE + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
                "\u0001\u0002 garbage \u0003\r\n\r\n",
                "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        int port = Reliability.port(download);
        long before = download.badInput();
        root.addHandler(handler);
        try {
            for (int i = 0; i < 1000; i++) {
                try (HttpProbe probe = new HttpProbe(port, 10_000)) {
                    try {
                        probe.send(causes.get(i % causes.size()).getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException closedWhileSending) {
                        // answered before all was sent
                    }
                    HttpProbe.Result answer = probe.read(false, 2_000, 10_000);
                    assertThat(answer.ending()).as("bad request %d", i).isNotEqualTo(HttpProbe.Ending.SILENT);
                }
            }
            org.awaitility.Awaitility.await().atMost(Reliability.RELEASE)
                    .until(() -> download.badInput() - before >= 1000);
        } finally {
            root.removeHandler(handler);
        }
        List<LogRecord> bad = records.stream()
                .filter(r -> r.getLoggerName() != null && !r.getLoggerName().startsWith("io.smprotocol.it"))
                .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue())
                .toList();
        // one line per cause at most within the minute; a cause may have been logged by an earlier test already
        assertThat(bad).as("log lines of the burst: %s", bad.stream().map(LogRecord::getMessage).toList())
                .hasSizeLessThanOrEqualTo(causes.size());
        assertThat(bad).allSatisfy(r -> assertThat(r.getThrown()).isNull());
        assertThat(bad).allSatisfy(r -> assertThat(r.getLevel()).isNotEqualTo(java.util.logging.Level.SEVERE));
    }
}
