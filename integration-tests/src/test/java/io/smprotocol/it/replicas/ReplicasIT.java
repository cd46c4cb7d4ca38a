package io.smprotocol.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.smprotocol.it.ExternalProgram;
import io.smprotocol.it.download.Programs;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;
import io.smprotocol.it.tracking.MongoServerMain;

/**
 * Three replicas of the packaged demo, as a Deployment runs them: one MongoDB wire server (mongo-java-server in its
 * own process) and one memcached shared by all, HAProxy in front (TCP, round-robin, readiness checks), each replica
 * with its own node name, journal and ports. A segmented client spread over the replicas is one logical download,
 * {@code unique-ip} holds across them, a rolling restart (SIGTERM, start again, next) under running downloads loses
 * and splits no record (with memcached, and without it through MongoDB), and a replica stopping is not ready before its
 * listeners close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    static final int SEGMENTED_SIZE = 32 * 1024 * 1024;
    static final int UNIQUE_SIZE = 32 * 1024 * 1024;
    static final int RESUMED_SIZE = 40 * 1024 * 1024;
    /**
     * Per connection, so that aria2c's segments overlap in time; and the client reads as fast as the server sends,
     * so that no socket or balancer buffer holds a download's tail when its replica stops: the stop cuts it.
     */
    static final String SERVER_RATE = "1M";
    /** Faster than the server's pace: the server's rate alone makes the downloads outlast the roll. */
    static final String CLIENT_RATE = "100M";

    Path dir;
    Process mongo;
    Process memcached;
    int mongoPort;
    int memcachedPort;
    Trio tracked;
    final List<Trio> started = new ArrayList<>();

    @BeforeAll
    void startSharedServers() throws Exception {
        Programs.require("haproxy", "haproxy");
        Programs.require("memcached", "memcached");
        Programs.require("aria2c", "aria2");
        Programs.require("curl", "curl");
        dir = Files.createDirectories(Path.of("target/replicas-it")).toAbsolutePath();
        try (var old = Files.walk(dir)) {
            old.sorted((a, b) -> b.compareTo(a)).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
        }
        Path files = Files.createDirectories(dir.resolve("files"));
        TestFiles.random(files.resolve("segmented.bin"), SEGMENTED_SIZE, 191);
        TestFiles.random(files.resolve("unique.bin"), UNIQUE_SIZE, 193);
        for (String name : List.of("shared-1.bin", "shared-2.bin", "local-1.bin", "local-2.bin")) {
            TestFiles.random(files.resolve(name), RESUMED_SIZE, name.hashCode());
        }

        mongoPort = Ports.free();
        Path mongoLog = dir.resolve("mongo.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        mongo = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                MongoServerMain.class.getName(), String.valueOf(mongoPort), dir.resolve("mongo/mongo.mv").toString())
                .redirectErrorStream(true).redirectOutput(mongoLog.toFile()).start();
        memcachedPort = Ports.free();
        // memcached refuses to run as root unless told which user to be
        memcached = new ProcessBuilder("memcached", "-p", String.valueOf(memcachedPort), "-l", "127.0.0.1", "-U", "0",
                "-u", System.getProperty("user.name")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("memcached.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(mongo.isAlive()).as("mongo-java-server runs").isTrue();
            assertThat(memcached.isAlive()).as("memcached runs").isTrue();
            return Files.readString(mongoLog).contains("READY") && Ports.accepts(memcachedPort);
        });
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            for (Trio trio : started) {
                trio.close();
            }
        } finally {
            for (Process process : new Process[] { mongo, memcached }) {
                if (process != null) {
                    process.destroy();
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
        }
    }

    Map<String, String> settings(boolean withMemcached, boolean uniqueIp) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.mongodb.connection-string", "mongodb://127.0.0.1:" + mongoPort);
        settings.put("quarkus.smprotocol.download.root", dir.resolve("files").toString());
        settings.put("quarkus.smprotocol.download.rate-limit", SERVER_RATE);
        settings.put("quarkus.smprotocol.download.unique-ip", String.valueOf(uniqueIp));
        // a short drain keeps the rolling restart short; it still outlasts the balancer's 300 ms check
        settings.put("quarkus.smprotocol.download.drain-timeout", "3S");
        // readiness DOWN for this long after SIGTERM before any listener closes: the balancer takes a stopping
        // replica out while it still serves
        settings.put("quarkus.shutdown.delay", "2S");
        if (withMemcached) {
            settings.put("quarkus.smprotocol.memcached.servers", "127.0.0.1:" + memcachedPort);
        } else {
            // the replicas group requests through the MongoDB they share
            settings.put("quarkus.smprotocol.download.session-store", "mongodb");
        }
        return settings;
    }

    Trio trio(String prefix, boolean withMemcached, boolean uniqueIp) throws Exception {
        Trio trio = Trio.start(dir, prefix, settings(withMemcached, uniqueIp));
        started.add(trio);
        return trio;
    }

    /** The trio with memcached and without unique-ip, for the first tests. */
    Trio tracked() throws Exception {
        if (tracked == null) {
            tracked = trio("node", true, false);
        }
        return tracked;
    }

    @Test
    @Order(1)
    void aSegmentedDownloadSpreadOverTheReplicasIsOneRecordSeenAlikeFromEach() throws Exception {
        Trio trio = tracked();
        Path out = Files.createDirectories(dir.resolve("aria2"));
        ExternalProgram.Result result = ExternalProgram.run(Duration.ofSeconds(90), List.of("aria2c", "-x8", "-s8",
                "-k1M", "--file-allocation=none", "--allow-overwrite=true", "--auto-file-renaming=false",
                "--summary-interval=0", "--console-log-level=warn", "-d", out.toString(), "-o", "segmented.bin",
                "http://127.0.0.1:" + trio.balancer.port + "/segmented.bin"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(TestFiles.sha256(out.resolve("segmented.bin")))
                .isEqualTo(TestFiles.sha256(dir.resolve("files/segmented.bin")));

        // every replica's stats API, reading the shared MongoDB, shows the same one record, completed. A replica that
        // served some segments sees its own coverage only: its part may stay open until its session window ends,
        // while the record, derived from every part, is complete
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode first = trio.replicas.get(0).downloads("/segmented.bin");
            assertThat(first).hasSize(1);
            assertThat(first.get(0).get("completed").asBoolean()).isTrue();
            for (Replica replica : trio.replicas) {
                assertThat(replica.downloads("/segmented.bin")).as(replica.name).isEqualTo(first);
            }
        });
        JsonNode record = trio.replicas.get(0).downloads("/segmented.bin").get(0);
        assertWhole(record, SEGMENTED_SIZE);
        assertThat(record.get("endReason").asText()).isEqualTo("COMPLETED");
        assertThat(record.get("requests").asInt()).isGreaterThanOrEqualTo(8);
        Set<String> nodes = nodes(record);
        assertThat(nodes).as("the nodes that served segments").hasSizeGreaterThanOrEqualTo(2)
                .isSubsetOf("node-1", "node-2", "node-3");
        long partBytes = 0;
        for (JsonNode part : record.get("parts")) {
            partBytes += part.get("bytesSent").asLong();
        }
        assertThat(partBytes).isEqualTo(record.get("bytesSent").asLong());
    }

    @Test
    @Order(3)
    void aRollingRestartWithMemcachedLosesAndSplitsNoRecord() throws Exception {
        Trio trio = tracked();
        List<String> files = List.of("/shared-1.bin", "/shared-2.bin");
        rollingRestart(trio, files);
        for (String file : files) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (Replica replica : trio.replicas) {
                    JsonNode records = replica.downloads(file);
                    assertThat(records).as(replica.name + " " + file + ": " + records).hasSize(1);
                    assertWhole(records.get(0), RESUMED_SIZE);
                }
            });
        }
    }

    @Test
    @Order(4)
    void uniqueIpHoldsAcrossReplicas() throws Exception {
        closeTracked();
        Trio trio = trio("unique", true, true);
        try (RawHttp first = new RawHttp(trio.balancer.port)) {
            first.sendOnly("GET", "/unique.bin", "User-Agent: unique-test");
            assertThat(first.readHead().status()).isEqualTo(200);
            assertThat(first.input().readNBytes(1024 * 1024)).hasSize(1024 * 1024);
            // whichever replica serves the first, every replica refuses a second for the same file and client
            for (Replica replica : trio.replicas) {
                RawHttp.Response second = RawHttp.request(replica.downloadPort, "GET", "/unique.bin",
                        "User-Agent: unique-test", "Range: bytes=0-9");
                assertThat(second.status()).as(replica.name).isEqualTo(503);
                assertThat(second.header("Retry-After")).as(replica.name).isNotNull();
            }
            assertThat(RawHttp.request(trio.balancer.port, "GET", "/unique.bin", "User-Agent: unique-test",
                    "Range: bytes=0-9").status()).isEqualTo(503);
        }
        // the first one gone, its lease is given back and any replica serves the client again
        for (Replica replica : trio.replicas) {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> RawHttp.request(replica.downloadPort, "GET", "/unique.bin",
                            "User-Agent: unique-test", "Range: bytes=0-9").status() == 206);
        }
        trio.close();
    }

    @Test
    @Order(5)
    void aRollingRestartWithoutMemcachedSessionsInMongoDbLosesAndSplitsNoRecord() throws Exception {
        Trio trio = trio("local", false, false);
        List<String> files = List.of("/local-1.bin", "/local-2.bin");
        rollingRestart(trio, files);
        for (String file : files) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (Replica replica : trio.replicas) {
                    JsonNode records = replica.downloads(file);
                    assertThat(records).as(replica.name + " " + file + ": " + records).hasSize(1);
                    assertWhole(records.get(0), RESUMED_SIZE);
                }
            });
            JsonNode record = trio.replicas.get(0).downloads(file).get(0);
            System.out.printf("[replicas] without memcached %s: nodes %s%n", file, nodes(record));
        }
        trio.close();
    }

    /**
     * Two throttled curl downloads through the balancer; each replica in turn is stopped with SIGTERM and started
     * again on its data; every cut curl resumes with {@code -C -} through the balancer until it has the file.
     */
    void rollingRestart(Trio trio, List<String> files) throws Exception {
        Path out = Files.createDirectories(dir.resolve("curl"));
        List<CompletableFuture<List<Integer>>> downloads = new ArrayList<>();
        for (String file : files) {
            Path target = out.resolve(file.substring(1));
            Files.deleteIfExists(target);
            downloads.add(CompletableFuture.supplyAsync(() -> resumeUntilComplete(trio.balancer.port, file, target)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> files.stream().allMatch(
                file -> size(out.resolve(file.substring(1))) >= 2 * 1024 * 1024));
        long start = System.nanoTime();
        for (Replica replica : trio.replicas) {
            replica.signalTerm();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> replica.readiness() == 503);
            // not ready, and its download listener still answers: readiness went DOWN before the listener closed
            // (a file that no assertion of the roll counts)
            assertThat(RawHttp.request(replica.downloadPort, "GET", "/segmented.bin", "User-Agent: readiness-probe",
                    "Range: bytes=0-9").status()).as(replica.name + " serves while not ready").isEqualTo(206);
            assertThat(replica.process().waitFor(60, TimeUnit.SECONDS)).as(replica.name + " stopped").isTrue();
            assertThat(downloads).as("the downloads outlast the roll").noneMatch(CompletableFuture::isDone);
            replica.start();
            replica.awaitReady();
        }
        System.out.printf("[replicas] rolled three replicas in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        for (int i = 0; i < files.size(); i++) {
            List<Integer> exits = downloads.get(i).get(120, TimeUnit.SECONDS);
            System.out.printf("[replicas] %s: curl exit codes %s%n", files.get(i), exits);
            // cut at least once by a replica's stop, and resumed
            assertThat(exits).as(files.get(i)).hasSizeGreaterThanOrEqualTo(2).endsWith(0);
            assertThat(TestFiles.sha256(out.resolve(files.get(i).substring(1))))
                    .isEqualTo(TestFiles.sha256(dir.resolve("files" + files.get(i))));
        }
    }

    /** @return the exit codes of the curl runs it took, the last one 0 */
    static List<Integer> resumeUntilComplete(int port, String file, Path target) {
        List<Integer> exits = new ArrayList<>();
        try {
            while (exits.isEmpty() || exits.get(exits.size() - 1) != 0) {
                assertThat(exits).as(file + " resumed too often").hasSizeLessThan(200);
                // -f: a refusal (503 of a draining replica) writes nothing into the file
                ExternalProgram.Result result = ExternalProgram.run(Duration.ofSeconds(120), List.of("curl", "-sS",
                        "-f", "-C", "-", "--limit-rate", CLIENT_RATE, "-o", target.toString(),
                        "http://127.0.0.1:" + port + file));
                exits.add(result.exitCode());
            }
            return exits;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void closeTracked() throws InterruptedException {
        if (tracked != null) {
            tracked.close();
            tracked = null;
        }
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static void assertWhole(JsonNode record, int size) {
        assertThat(record.get("completed").asBoolean()).as(record.toString()).isTrue();
        assertThat(record.get("coveredBytes").asLong()).as(record.toString()).isEqualTo(size);
        assertThat(union(List.of(record))).as(record.toString()).isEqualTo(List.of(List.of(0L, (long) size - 1)));
    }

    static Set<String> nodes(JsonNode record) {
        Set<String> nodes = new TreeSet<>();
        record.get("parts").forEach(part -> nodes.add(part.get("node").asText()));
        return nodes;
    }

    /** @return the union of the records' coverage, as sorted, merged [first, last] ranges */
    static List<List<Long>> union(Iterable<JsonNode> records) {
        List<long[]> ranges = new ArrayList<>();
        for (JsonNode record : records) {
            record.get("coverage").forEach(r -> ranges.add(new long[] { r.get("first").asLong(), r.get("last").asLong() }));
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<List<Long>> merged = new ArrayList<>();
        long[] current = null;
        for (long[] range : ranges) {
            if (current != null && range[0] <= current[1] + 1) {
                current[1] = Math.max(current[1], range[1]);
            } else {
                if (current != null) {
                    merged.add(List.of(current[0], current[1]));
                }
                current = range.clone();
            }
        }
        if (current != null) {
            merged.add(List.of(current[0], current[1]));
        }
        return merged;
    }
}
