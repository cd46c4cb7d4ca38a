package io.smprotocol.it.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.tracking.Download;
import io.smprotocol.downloads.runtime.tracking.DownloadTracker;
import io.smprotocol.downloads.runtime.tracking.JournalFlusher;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;

/**
 * MongoDB in a process of its own, killed while downloads go on and started again: the downloads are never slowed or
 * refused, the records wait in the journal, and every one of them arrives once.
 */
@QuarkusTest
@TestProfile(MongoOutageTest.Profile.class)
class MongoOutageTest {

    static final int SIZE = 64 * 1024;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.smprotocol.download.root", "target/dl-outage",
                    "quarkus.smprotocol.download.session-window", "2S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ExternalMongoResource.class));
        }
    }

    @Inject
    DownloadServer server;
    @Inject
    DownloadTracker tracker;
    @Inject
    JournalFlusher flusher;

    @Test
    void recordsWaitInTheJournalAndArriveOnceWhenMongoReturns() throws Exception {
        TestFiles.random(server.root().resolve("outage.bin"), SIZE, 41);
        String before = Records.agent("before-outage");
        assertThat(RawHttp.get(server.port(), "/outage.bin", "User-Agent: " + before).status()).isEqualTo(200);
        Records.ended(before);

        List<String> during = new ArrayList<>();
        try {
            ExternalMongoResource.stopServer();
            long failuresBefore = flusher.failures();
            for (int i = 0; i < 20; i++) {
                String agent = Records.agent("during-outage-" + i);
                during.add(agent);
                // downloads go on at full speed while MongoDB is away
                RawHttp.Response response = RawHttp.get(server.port(), "/outage.bin", "User-Agent: " + agent);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).hasSize(SIZE);
            }
            // every download ended (2 s window), nothing could be written
            await().atMost(Duration.ofSeconds(30)).until(() -> flusher.failures() > failuresBefore);
            assertThat(tracker.pending()).isPositive();
            assertThat(tracker.journalSize()).isPositive();
        } finally {
            ExternalMongoResource.startServer();
        }

        // back: each record arrives, once
        await().atMost(Duration.ofSeconds(60)).until(() -> tracker.pending() == 0);
        // acknowledged writes become visible to other connections of mongo-java-server's H2 backend a moment later
        await().atMost(Duration.ofSeconds(30)).until(() -> during.stream()
                .allMatch(agent -> Records.downloads(agent).size() == 1));
        for (String agent : during) {
            List<Download> found = Records.downloads(agent);
            assertThat(found).as(agent).hasSize(1);
            Download download = found.get(0);
            assertThat(download.completed).isTrue();
            assertThat(download.endReason).isEqualTo(DownloadEndReason.COMPLETED);
            assertThat(download.requests).isEqualTo(1);
            assertThat(download.bytesSent).isEqualTo(SIZE);
            assertThat(download.coveredBytes).isEqualTo(SIZE);
        }
        // the one written before the outage survived the restart of the server, unchanged
        assertThat(Records.downloads(before)).singleElement().satisfies(d -> {
            assertThat(d.completed).isTrue();
            assertThat(d.bytesSent).isEqualTo(SIZE);
        });
        // and flushing again changes nothing
        assertThat(flusher.flush()).isTrue();
        assertThat(Download.count("client.userAgent in ?1", during)).isEqualTo(during.size());
    }
}
