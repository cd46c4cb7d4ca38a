package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.it.download.RecordingObserver;
import io.smprotocol.it.download.TestFiles;

/**
 * A client that resets its connection in the middle of a {@code sendfile} download is a routine end of a download
 * ({@code CLIENT_ABORTED}), not an error: nothing at WARN or above is logged, by the extension or by Vert.x.
 */
@QuarkusTest
class DownloadClientResetTest {

    static final int SIZE = 16 * 1024 * 1024;

    @Inject
    DownloadServer server;
    @Inject
    RecordingObserver observer;

    @Test
    void aResetDuringSendfileEndsTheDownloadQuietly() throws Exception {
        TestFiles.random(server.root().resolve("reset/big.bin"), SIZE, 11);
        String path = "/reset/big.bin";
        int before = observer.ended(path).size();
        try (LogCapture vertx = LogCapture.warningsAndErrors("io.vertx");
                LogCapture ours = LogCapture.warningsAndErrors("io.smprotocol")) {
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(8192);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                long read = 0;
                while (read < 256 * 1024) {
                    int n = in.read(buffer);
                    assertThat(n).isPositive();
                    read += n;
                }
                // close with RST: what a killed client or a dropped mobile connection looks like to the server
                socket.setSoLinger(true, 0);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.ended(path).size() > before);
            RecordingObserver.Seen ended = observer.ended(path).get(before);
            assertThat(ended.end().reason()).isEqualTo(DownloadEndReason.CLIENT_ABORTED);
            assertThat(ended.end().bytesWritten()).isBetween(256 * 1024L - 1024, SIZE - 1L);
            assertThat(vertx.problems()).isEmpty();
            assertThat(ours.problems()).isEmpty();
        }
    }
}
