package io.smprotocol.downloads.runtime.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smprotocol.downloads.runtime.policy.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Download sessions shared through MongoDB by replicas without memcached, against mongo-java-server: two replicas
 * (two {@link DownloadSessions} on one collection) give a client's requests for a file one download id, also when they
 * race; an expired session starts a new download; a request's end pushes the expiry on; and an unreachable MongoDB
 * leaves each replica grouping on its own, without waiting for the driver's timeouts.
 */
class MongoSessionsTest {

    static final Duration WINDOW = Duration.ofMinutes(30);

    static MongoServer server;
    static MongoClient client;
    Vertx vertx;
    Context context;
    MongoCollection<Document> collection;
    DownloadSessions replicaA;
    DownloadSessions replicaB;

    @BeforeAll
    static void startMongo() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        server.shutdownNow();
    }

    @BeforeEach
    void replicas() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        collection = client.getDatabase("sessions" + System.nanoTime()).getCollection(MongoSessions.COLLECTION);
        replicaA = new DownloadSessions(WINDOW, new MongoSessions(vertx, () -> collection, WINDOW));
        replicaB = new DownloadSessions(WINDOW, new MongoSessions(vertx, () -> collection, WINDOW));
    }

    @AfterEach
    void closeVertx() throws Exception {
        OnContext.close(vertx);
    }

    String id(DownloadSessions sessions, String ip, String userAgent) throws Exception {
        return OnContext.on(context, () -> sessions.downloadId(ip, userAgent, "/f.bin", "\"e1\""));
    }

    @Test
    void aClientsRequestsOnTwoReplicasShareOneDownloadIdAndOtherClientsDoNot() throws Exception {
        String first = id(replicaA, "192.0.2.1", "curl/8");
        assertThat(id(replicaB, "192.0.2.1", "curl/8")).isEqualTo(first);
        assertThat(id(replicaA, "192.0.2.1", "curl/8")).isEqualTo(first);
        assertThat(id(replicaB, "192.0.2.1", "wget/1")).isNotEqualTo(first);
        assertThat(id(replicaB, "192.0.2.2", "curl/8")).isNotEqualTo(first);
        // the collection names clients by a digest, never by their address
        for (Document session : collection.find()) {
            assertThat(session.toJson()).doesNotContain("192.0.2");
        }
    }

    @Test
    void replicasThatRaceForTheSameClientsAgreeOnEveryId() throws Exception {
        // both replicas connected first: the race is between claims, not between connection handshakes
        id(replicaA, "203.0.113.1", "warm-up");
        id(replicaB, "203.0.113.2", "warm-up");
        List<CompletableFuture<String>> fromA = new ArrayList<>();
        List<CompletableFuture<String>> fromB = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String ip = "198.51.100." + i;
            fromA.add(OnContext.start(context, () -> replicaA.downloadId(ip, "aria2/1", "/f.bin", "\"e1\"")));
            fromB.add(OnContext.start(context, () -> replicaB.downloadId(ip, "aria2/1", "/f.bin", "\"e1\"")));
        }
        for (int i = 0; i < fromA.size(); i++) {
            assertThat(OnContext.await(fromB.get(i))).as("client " + i).isEqualTo(OnContext.await(fromA.get(i)));
        }
        assertThat(collection.countDocuments()).isEqualTo(12);
    }

    @Test
    void aSessionWhoseWindowPassedStartsANewDownload() throws Exception {
        String first = id(replicaA, "192.0.2.1", "curl/8");
        // the window passes for the stored session (and for the replica's own memory of it)
        collection.updateMany(new Document(), Updates.set("expiresAt", Date.from(Instant.now().minusSeconds(1))));
        DownloadSessions later = new DownloadSessions(WINDOW, new MongoSessions(vertx, () -> collection, WINDOW));
        String second = id(later, "192.0.2.1", "curl/8");
        assertThat(second).isNotEqualTo(first);
        assertThat(id(replicaB, "192.0.2.1", "curl/8")).isEqualTo(second);
    }

    @Test
    void theEndOfARequestPushesTheSessionsExpiryOn() throws Exception {
        String first = id(replicaA, "192.0.2.1", "curl/8");
        Date soon = Date.from(Instant.now().plusSeconds(5));
        collection.updateMany(new Document(), Updates.set("expiresAt", soon));
        context.runOnContext(v -> replicaA.touch("192.0.2.1", "curl/8", "/f.bin", "\"e1\"", first));
        await().atMost(Duration.ofSeconds(10)).until(() -> collection
                .find(Filters.eq("downloadId", first)).first().getDate("expiresAt").after(soon));
    }

    @Test
    void anUnreachableMongoDbLeavesEachReplicaGroupingOnItsOwn() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (MongoClient unreachable = MongoClients.create("mongodb://127.0.0.1:" + closedPort
                + "/?serverSelectionTimeoutMS=30000")) {
            MongoCollection<Document> sessions = unreachable.getDatabase("x").getCollection(MongoSessions.COLLECTION);
            DownloadSessions alone = new DownloadSessions(WINDOW, new MongoSessions(vertx, () -> sessions, WINDOW));
            long started = System.nanoTime();
            String first = id(alone, "192.0.2.1", "curl/8");
            // the driver would wait 30 s for a server; the request got its id after the store's own bound
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .isLessThan(MongoSessions.TIMEOUT.toMillis() + 5_000);
            assertThat(id(alone, "192.0.2.1", "curl/8")).isEqualTo(first);
            assertThat(id(alone, "192.0.2.9", "curl/8")).isNotEqualTo(first);
        }
    }
}
