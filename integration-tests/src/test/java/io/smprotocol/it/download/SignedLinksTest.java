package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * Signed, expiring links (required here): valid, tampered, missing and expired. Also {@code max-connections}: a
 * connection over the limit gets 503 and is closed.
 */
@QuarkusTest
@TestProfile(SignedLinksTest.Profile.class)
class SignedLinksTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.smprotocol.download.root", "target/dl-signed",
                    "quarkus.smprotocol.download.signed-links.enabled", "true",
                    "quarkus.smprotocol.download.signed-links.secret", "test-secret",
                    "quarkus.smprotocol.download.max-connections", "2");
        }
    }

    @Inject
    DownloadServer server;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(server.root().resolve("docs"));
        Files.writeString(server.root().resolve("docs/a b.txt"), "signed content\n");
        Files.writeString(server.root().resolve("docs/other.txt"), "other content\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    /**
     * One request on a new connection, once the server has seen the previous ones close: with max-connections at 2, a
     * request sent before that would be refused with 503.
     */
    RawHttp.Response get(String target) throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        return RawHttp.get(server.port(), target);
    }

    long inAnHour() {
        return System.currentTimeMillis() / 1000 + 3600;
    }

    @Test
    void validLinksAreServed() throws IOException {
        String query = server.signQuery("/docs/a b.txt", inAnHour());
        RawHttp.Response response = get("/docs/a%20b.txt?" + query);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("signed content\n");
        // any encoding of the same path carries the same signature
        assertThat(get("/docs/%61%20b.txt?" + query).status()).isEqualTo(200);
        assertThat(get("/docs/a%20b.txt?foo=bar&" + query).status()).isEqualTo(200);
    }

    @Test
    void tamperedOrMissingSignaturesAreForbidden() throws IOException {
        long expires = inAnHour();
        String signature = server.signQuery("/docs/a b.txt", expires).replaceAll(".*signature=", "");
        String flipped = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        String[] targets = {
                "/docs/a%20b.txt?expires=" + expires + "&signature=" + flipped,
                "/docs/a%20b.txt?expires=" + (expires + 1) + "&signature=" + signature,
                "/docs/other.txt?expires=" + expires + "&signature=" + signature,
                "/docs/a%20b.txt?expires=" + expires + "&signature=nothex",
                "/docs/a%20b.txt?expires=" + expires,
                "/docs/a%20b.txt?signature=" + signature,
                "/docs/a%20b.txt" };
        for (String target : targets) {
            RawHttp.Response response = get(target);
            assertThat(response.status()).as(target).isEqualTo(403);
            assertThat(response.text()).doesNotContain("signed content").startsWith("403 Forbidden");
        }
    }

    @Test
    void expiredLinksAreGone() throws IOException {
        long past = System.currentTimeMillis() / 1000 - 10;
        RawHttp.Response response = get("/docs/a%20b.txt?"
                + server.signQuery("/docs/a b.txt", past));
        assertThat(response.status()).isEqualTo(410);
        assertThat(response.text()).isEqualTo("410 Gone: the link has expired\n");
    }

    @Test
    void connectionsOverTheLimitGet503() throws IOException {
        String target = "/docs/a%20b.txt?" + server.signQuery("/docs/a b.txt", inAnHour());
        try (RawHttp one = new RawHttp(server.port()); RawHttp two = new RawHttp(server.port())) {
            assertThat(one.send("GET", target).status()).isEqualTo(200);
            assertThat(two.send("GET", target).status()).isEqualTo(200);
            RawHttp.Response third = RawHttp.get(server.port(), target);
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.header("Connection")).isEqualTo("close");
            assertThat(third.header("Retry-After")).isNotNull();
            assertThat(server.refusedConnections()).isPositive();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        assertThat(RawHttp.get(server.port(), target).status()).isEqualTo(200);
    }
}
