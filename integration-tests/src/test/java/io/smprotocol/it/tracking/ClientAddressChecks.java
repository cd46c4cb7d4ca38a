package io.smprotocol.it.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.tracking.Download;
import io.smprotocol.downloads.runtime.tracking.RequestRecord;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;

/**
 * What a stored record keeps of its client in a reducing {@code client-address} mode: two clients of one network,
 * same user agent and file, stay two downloads; geo and network come from the full address; the records, the
 * requests that are no downloads, the stats API and the journal hold no full address.
 */
abstract class ClientAddressChecks {

    static final String FIRST = GeoDatabases.LONDON;
    static final String NEIGHBOUR = "81.2.69.143";

    @Inject
    DownloadServer server;

    /** @return what the mode stores of {@code address} */
    abstract String stored(String address);

    @Test
    void twoClientsOfOneNetworkAreTwoDownloadsStoredWithoutTheirAddresses() throws Exception {
        TestFiles.random(server.root().resolve("shared.bin"), 100_000, 31);
        String agent = Records.agent(getClass().getSimpleName());
        for (String client : List.of(FIRST, NEIGHBOUR)) {
            assertThat(RawHttp.get(server.port(), "/shared.bin", "User-Agent: " + agent,
                    "X-Forwarded-For: " + client).status()).isEqualTo(200);
        }
        assertThat(RawHttp.get(server.port(), "/missing.bin", "User-Agent: " + agent, "X-Forwarded-For: " + FIRST)
                .status()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(30)).until(() -> Records
                .downloads(agent).stream().filter(d -> d.endReason != null).count() == 2
                && !Records.requests(agent).isEmpty());
        List<Download> downloads = Records.downloads(agent);
        assertThat(downloads).extracting(d -> d.client.ip).containsExactlyInAnyOrder(stored(FIRST), stored(NEIGHBOUR));
        for (Download download : downloads) {
            assertThat(download.completed).isTrue();
            assertThat(download.client.peerIp).isEqualTo(stored("127.0.0.1"));
            // looked up from the full address before it was reduced
            assertThat(download.client.geo.city).isEqualTo("London");
            assertThat(download.client.network.asn).isEqualTo(20712L);
        }
        RequestRecord missing = Records.requests(agent).get(0);
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.clientIp).isEqualTo(stored(FIRST));

        // the stats API, asked with a full address, compares it in the stored form
        JsonNode listed = StatsApiTest.get("/smprotocol/api/downloads?file=/shared.bin&ip=" + FIRST, 200);
        assertThat(listed.toString()).doesNotContain(FIRST).doesNotContain(NEIGHBOUR);
        assertThat(listed.get("downloads").findValuesAsText("ip")).isNotEmpty().allMatch(stored(FIRST)::equals);

        String journal = ConfigProvider.getConfig().getValue("quarkus.smprotocol.tracking.journal-dir", String.class);
        try (Stream<Path> files = Files.walk(Path.of(journal))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = readable(file);
                assertThat(text).as(file.toString()).doesNotContain(FIRST).doesNotContain(NEIGHBOUR);
            }
        }
    }

    static String readable(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }
}
