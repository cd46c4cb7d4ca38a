package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * What a client relies on when it keeps a connection: pipelined requests answered in order (a multi-region
 * {@code sendfile} among them), HTTP/1.0 closed unless it asks to keep the connection, and {@code Connection: close}
 * honoured. Answers say {@code HTTP/1.1} whatever the request's minor version.
 */
@QuarkusTest
class ConnectionReuseTest {

    /** Over the listener's largest file region (1 MiB): sent as several regions, one after the other. */
    static final int BIG = 3 * 1024 * 1024 + 17;
    static final String SMALL = "small and kept\n";

    @Inject
    DownloadServer server;

    static byte[] big;

    @BeforeEach
    void files() throws IOException {
        Path dir = server.root().resolve("reuse");
        Files.createDirectories(dir);
        if (big == null) {
            big = TestFiles.random(dir.resolve("big.bin"), BIG, 7);
        }
        Files.writeString(dir.resolve("small.txt"), SMALL);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            String host = "Host: 127.0.0.1\r\n";
            write(http, "GET /reuse/big.bin HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /reuse/missing.bin HTTP/1.1\r\n" + host + "\r\n"
                    + "HEAD /reuse/small.txt HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /reuse/small.txt HTTP/1.1\r\n" + host + "Range: bytes=0-4\r\n\r\n"
                    + "GET /reuse/small.txt HTTP/1.1\r\n" + host + "\r\n");

            RawHttp.Response first = http.read(false);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(big);
            assertThat(http.read(false).status()).isEqualTo(404);
            RawHttp.Response head = http.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(SMALL.length()));
            RawHttp.Response range = http.read(false);
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.text()).isEqualTo("small");
            RawHttp.Response last = http.read(false);
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.text()).isEqualTo(SMALL);
            assertThat(last.header("Connection")).isNull();
        }
    }

    @Test
    void thousandsOfPipelinedRequestsAnsweredAtOnceAreAllAnsweredInOrder() throws IOException {
        int count = 5000;
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < count; i++) {
            // refused at once, without a lookup: each answer ends before the next request is taken
            requests.append("DELETE /reuse/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        requests.append("GET /reuse/small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        try (RawHttp http = new RawHttp(server.port())) {
            Thread writer = new Thread(() -> {
                try {
                    write(http, requests.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            for (int i = 0; i < count; i++) {
                assertThat(http.read(false).status()).as("answer %d", i).isEqualTo(405);
            }
            assertThat(http.read(false).text()).isEqualTo(SMALL);
        }
    }

    @Test
    void anHttp10RequestIsAnsweredAsHttp11AndTheConnectionClosed() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            write(http, "GET /reuse/small.txt HTTP/1.0\r\n\r\n");
            RawHttp.Response response = http.read(false);
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(response.text()).isEqualTo(SMALL);
            assertThat(http.input().read()).as("closed after the answer").isEqualTo(-1);
        }
    }

    @Test
    void anHttp10KeepAliveRequestKeepsTheConnection() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            write(http, "GET /reuse/small.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response first = http.read(false);
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(first.text()).isEqualTo(SMALL);
            write(http, "HEAD /reuse/small.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(http.read(true).status()).isEqualTo(200);
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            write(http, "GET /reuse/small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + "GET /reuse/small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response response = http.read(false);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(response.text()).isEqualTo(SMALL);
            assertThat(http.input().read()).as("nothing answered after the close").isEqualTo(-1);
        }
    }

    private static void write(RawHttp http, String requests) throws IOException {
        OutputStream out = http.socket().getOutputStream();
        out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
