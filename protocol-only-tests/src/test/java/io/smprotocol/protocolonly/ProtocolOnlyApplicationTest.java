package io.smprotocol.protocolonly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerStatus;
import io.smprotocol.Listeners;

/**
 * An application with two protocols and the protocols extension alone: its hooks work, it has no listener beyond its
 * protocols and Quarkus' own HTTP interface, none of the download manager's libraries, and no data directory. The
 * test runs on Quarkus' default test ports: nothing of the extension takes them.
 */
@QuarkusTest
class ProtocolOnlyApplicationTest {

    /** Quarkus' default {@code quarkus.http.test-port}, left as it is. */
    static final int DEFAULT_TEST_PORT = 8081;

    @Inject
    Listeners listeners;

    @Test
    void theListenersAreTheTwoProtocols() {
        assertThat(listeners.statuses()).extracting(ListenerStatus::name).containsExactlyInAnyOrder("kv", "chat");
    }

    @Test
    void theKeyValueStoreAndTheChatAnswer() throws Exception {
        try (Line kv = new Line(listeners.status("kv").port())) {
            assertThat(kv.call("set greeting hello world")).isEqualTo("STORED");
            assertThat(kv.call("get greeting")).isEqualTo("VALUE greeting hello world");
            assertThat(kv.call("delete greeting")).isEqualTo("DELETED");
            assertThat(kv.call("get greeting")).isEqualTo("END");
        }
        int chat = listeners.status("chat").port();
        try (Line alice = new Line(chat); Line bob = new Line(chat)) {
            assertThat(alice.call("NICK alice")).isEqualTo("OK");
            assertThat(bob.call("NICK bob")).isEqualTo("OK");
            assertThat(alice.call("SAY hi")).isEqualTo("OK");
            assertThat(bob.read()).isEqualTo("alice: hi");
        }
    }

    @Test
    void theManagementEndpointsAnswerOnQuarkusDefaultTestPort() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + DEFAULT_TEST_PORT + "/q/smprotocol/protocols")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"kv\"").contains("\"chat\"").doesNotContain("download");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "com.mongodb.client.MongoClient",
            "de.bwaldvogel.mongo.MongoServer",
            "io.quarkus.mongodb.panache.PanacheMongoEntityBase",
            "org.h2.mvstore.MVStore",
            "net.spy.memcached.MemcachedClient",
            "com.maxmind.geoip2.DatabaseReader",
            "com.github.benmanes.caffeine.cache.Caffeine",
            "io.quarkus.scheduler.Scheduler",
            "io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder",
            "io.smprotocol.download.DownloadObserver",
    })
    void noLibraryOfTheDownloadManagerIsThere(String className) {
        assertThatThrownBy(() -> Class.forName(className, false, getClass().getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void nothingIsWrittenInTheWorkingDirectory() {
        assertThat(Path.of("smprotocol-data")).doesNotExist();
        assertThat(Files.exists(Path.of("downloads"))).isFalse();
    }

    /** A line client: one line out, one line back. */
    static final class Line implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final BufferedReader in;

        Line(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String call(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        String read() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
