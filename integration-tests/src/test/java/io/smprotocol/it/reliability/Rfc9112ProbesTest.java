package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * The download listener's answers to the requests RFC 9112 says a server must refuse, each on a raw socket, as an
 * HTTP client that wants to smuggle a request through a proxy would send them; and the answers it must still give to
 * what is allowed (HTTP/1.0 without Host, a small body on GET that is read and dropped).
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class Rfc9112ProbesTest {

    static final String FILE = "/probes/small.txt";
    static final String BODY = "small file\n";

    @Inject
    DownloadServer download;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(download.root().resolve("probes/dir"));
        Files.writeString(download.root().resolve("probes/small.txt"), BODY);
    }

    private HttpProbe.Result exchange(HttpProbe probe, String request) throws IOException {
        probe.send(request);
        return probe.read(request.startsWith("HEAD"), 10_000, 10_000);
    }

    /** A 400 (or the status given) that says close, and the connection closed after it. */
    private void refusedAndClosed(String request, int status) throws IOException {
        try (HttpProbe probe = new HttpProbe(Reliability.port(download), 10_000)) {
            HttpProbe.Result answer = exchange(probe, request);
            assertThat(answer.status()).as("%s -> %s", request, answer).isEqualTo(status);
            assertThat(answer.statusLine()).startsWith("HTTP/1.1 ");
            assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(probe.closedByServer(10_000)).as("closed after %s", answer).isTrue();
        }
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndTheSmuggledRequestNeverRead() throws IOException {
        long before = download.requests();
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        // neither request reached the download manager
        assertThat(download.requests()).isEqualTo(before);
    }

    @Test
    void transferEncodingThenContentLengthIsRefusedToo() throws IOException {
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Length: 30\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void http11WithoutHostIsRefused() throws IOException {
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void twoHostHeadersAreRefused() throws IOException {
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    }

    @Test
    void aFoldedHeaderLineIsRefused() throws IOException {
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n two\r\n\r\n", 400);
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n\tContent-Length: 5\r\n\r\n", 400);
    }

    @Test
    void anotherVersionGets505WithAnHttp11StatusLine() throws IOException {
        refusedAndClosed("GET " + FILE + " HTTP/2.0\r\nHost: x\r\n\r\n", 505);
        refusedAndClosed("GET " + FILE + " HTTP/0.9\r\nHost: x\r\n\r\n", 505);
    }

    @Test
    void a403OrA404CarriesNoAcceptRangesAndA200Does() throws IOException {
        try (HttpProbe probe = new HttpProbe(Reliability.port(download), 10_000)) {
            HttpProbe.Result missing = exchange(probe, "GET /probes/none.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Accept-Ranges")).isNull();
            HttpProbe.Result directory = exchange(probe, "GET /probes/dir HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(directory.status()).isEqualTo(403);
            assertThat(directory.header("Accept-Ranges")).isNull();
            HttpProbe.Result found = exchange(probe, "GET " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.header("Accept-Ranges")).isEqualTo("bytes");
            HttpProbe.Result unsatisfiable = exchange(probe,
                    "GET " + FILE + " HTTP/1.1\r\nHost: x\r\nRange: bytes=1000-\r\n\r\n");
            assertThat(unsatisfiable.status()).isEqualTo(416);
            assertThat(unsatisfiable.header("Accept-Ranges")).isEqualTo("bytes");
        }
    }

    @Test
    void aSmallBodyOnGetIsReadAndDroppedNeverTakenForTheNextRequest() throws IOException {
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        try (HttpProbe probe = new HttpProbe(Reliability.port(download), 10_000)) {
            HttpProbe.Result first = exchange(probe, "GET " + FILE + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + smuggled.length() + "\r\n\r\n" + smuggled);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo(BODY);
            // the body was the bytes of a request: had it been read as one, this would answer 404
            HttpProbe.Result second = exchange(probe, "GET " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(second.status()).isEqualTo(200);
        }
        try (HttpProbe probe = new HttpProbe(Reliability.port(download), 10_000)) {
            HttpProbe.Result chunked = exchange(probe, "GET " + FILE + " HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(smuggled.length()) + "\r\n" + smuggled
                    + "\r\n0\r\n\r\n");
            assertThat(chunked.status()).isEqualTo(200);
            HttpProbe.Result second = exchange(probe, "GET " + FILE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(second.status()).isEqualTo(200);
        }
    }

    @Test
    void aLargeBodyIsRefusedBeforeItIsRead() throws IOException {
        refusedAndClosed("GET " + FILE + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n", 413);
    }

    @Test
    void http10WithoutHostIsServed() throws IOException {
        try (HttpProbe probe = new HttpProbe(Reliability.port(download), 10_000)) {
            HttpProbe.Result answer = exchange(probe, "GET " + FILE + " HTTP/1.0\r\n\r\n");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo(BODY);
        }
    }

    @Test
    void aLaterMinorVersionOfHttp1IsServedAsHttp11() throws IOException {
        try (HttpProbe probe = new HttpProbe(Reliability.port(download), 10_000)) {
            HttpProbe.Result answer = exchange(probe, "GET " + FILE + " HTTP/1.2\r\nHost: x\r\n\r\n");
            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
