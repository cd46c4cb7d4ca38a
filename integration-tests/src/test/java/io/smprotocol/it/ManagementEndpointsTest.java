package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.ListenerState;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;
import io.smprotocol.runtime.server.ProtocolManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The management endpoints under /q/smprotocol, the readiness checks and the metrics.
 */
@QuarkusTest
class ManagementEndpointsTest {

    private static final String PING_PORT = "%test.quarkus.smprotocol.protocols.ping.port";

    @Inject
    ProtocolManager manager;
    @Inject
    DownloadServer download;

    private final ManagementClient management = new ManagementClient();

    @AfterEach
    void pingRunsAgain() throws Exception {
        System.clearProperty(PING_PORT);
        if (Protocols.server(manager, "ping").state() != ListenerState.RUNNING) {
            assertThat(management.post("/q/smprotocol/protocols/ping/start").status()).isEqualTo(200);
        }
    }

    @Test
    void listsEveryProtocolWithItsStateAndAddress() throws Exception {
        ManagementClient.Response response = management.get("/q/smprotocol/protocols");
        assertThat(response.status()).isEqualTo(200);
        JsonArray protocols = response.jsonArray();
        assertThat(protocols.stream().map(p -> ((JsonObject) p).getString("name"))).containsExactlyInAnyOrder("ping",
                "smtp", "redis-proxy", "download");
        JsonObject ping = management.get("/q/smprotocol/protocols/ping").json();
        assertThat(ping.getString("state")).isEqualTo("RUNNING");
        assertThat(ping.getString("host")).isEqualTo("127.0.0.1");
        assertThat(ping.getInteger("port")).isEqualTo(Protocols.port(manager, "ping"));
        assertThat(ping.getLong("starts")).isPositive();
    }

    @Test
    void unknownProtocolsAndPathsAre404WithAJsonError() throws Exception {
        for (String path : new String[] { "/q/smprotocol/protocols/nope", "/q/smprotocol/nothing" }) {
            ManagementClient.Response response = management.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.json().getString("error")).as(path).isNotBlank();
        }
        ManagementClient.Response restart = management.post("/q/smprotocol/protocols/nope/restart");
        assertThat(restart.status()).isEqualTo(404);
        assertThat(restart.json().getString("error")).contains("nope").contains("ping");
    }

    @Test
    void theDownloadListenerAnswersItsStatsLikeEveryProtocol() throws Exception {
        TestFiles.random(download.root().resolve("management-stats.bin"), 10_000, 7);
        JsonObject before = management.get("/q/smprotocol/protocols/download/stats").json();
        assertThat(RawHttp.get(download.port(), "/management-stats.bin").status()).isEqualTo(200);
        assertThat(RawHttp.get(download.port(), "/management-stats-missing.bin").status()).isEqualTo(404);
        assertThat(RawHttp.request(download.port(), "HEAD", "/management-stats.bin").status()).isEqualTo(200);
        // a request is counted once it ended, just after its last byte went out
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ManagementClient.Response response = management.get("/q/smprotocol/protocols/download/stats");
            assertThat(response.status()).isEqualTo(200);
            JsonObject after = response.json();
            assertThat(after.getString("protocol")).isEqualTo("download");
            assertThat(after.getBoolean("proxy")).isFalse();
            assertThat(verb(after, "GET", "count") - verb(before, "GET", "count")).isEqualTo(2);
            assertThat(verb(after, "GET", "errors") - verb(before, "GET", "errors")).isEqualTo(1);
            assertThat(verb(after, "GET", "bytes") - verb(before, "GET", "bytes")).isGreaterThanOrEqualTo(10_000);
            assertThat(verb(after, "HEAD", "count") - verb(before, "HEAD", "count")).isEqualTo(1);
            assertThat(count(after, "byStatus", "404") - count(before, "byStatus", "404")).isEqualTo(1);
            assertThat(count(after, "byStatus", "200") - count(before, "byStatus", "200")).isEqualTo(2);
            assertThat(after.getLong("requests") - before.getLong("requests")).isEqualTo(3);
            assertThat(after.getJsonObject("byEndReason").getLong("COMPLETED")).isPositive();
        });
    }

    private static long verb(JsonObject stats, String verb, String field) {
        return stats.getJsonArray("commands").stream().map(JsonObject.class::cast)
                .filter(command -> command.getString("verb").equals(verb)).mapToLong(command -> command.getLong(field))
                .sum();
    }

    private static long count(JsonObject stats, String map, String key) {
        JsonObject counts = stats.getJsonObject(map);
        return counts == null || counts.getLong(key) == null ? 0 : counts.getLong(key);
    }

    @Test
    void operationsTakePostOnly() throws Exception {
        ManagementClient.Response response = management.get("/q/smprotocol/protocols/ping/restart");
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.json().getString("error")).contains("POST");
    }

    @Test
    void restartOfOneAndOfAllProtocols() throws Exception {
        long pingStarts = Protocols.server(manager, "ping").starts();
        long smtpStarts = Protocols.server(manager, "smtp").starts();

        ManagementClient.Response one = management.post("/q/smprotocol/protocols/ping/restart");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().getString("state")).isEqualTo("RUNNING");
        assertThat(one.json().getLong("starts")).isEqualTo(pingStarts + 1);
        assertThat(Protocols.server(manager, "smtp").starts()).isEqualTo(smtpStarts);

        ManagementClient.Response all = management.post("/q/smprotocol/restart");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.jsonArray()).hasSize(4);
        assertThat(Protocols.server(manager, "ping").starts()).isEqualTo(pingStarts + 2);
        assertThat(Protocols.server(manager, "smtp").starts()).isEqualTo(smtpStarts + 1);
        try (LineClient ping = LineClient.connect(Protocols.port(manager, "ping"))) {
            assertThat(ping.command("PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void aRestartThatCannotBindIs409AndLeavesTheProtocolFailed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // the restart reads the configuration again and finds the port taken
            System.setProperty(PING_PORT, Integer.toString(taken.getLocalPort()));
            ManagementClient.Response response = management.post("/q/smprotocol/protocols/ping/restart");
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.json().getString("error")).isNotBlank();

            JsonObject ping = management.get("/q/smprotocol/protocols/ping").json();
            assertThat(ping.getString("state")).isEqualTo("FAILED");
            assertThat(ping.getString("failure")).isNotBlank();

            ManagementClient.Response ready = management.get("/q/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            JsonObject check = readinessCheck(ready.json(), "smprotocol-ping");
            assertThat(check.getString("status")).isEqualTo("DOWN");
            assertThat(check.getJsonObject("data").getString("state")).isEqualTo("FAILED");
            assertThat(check.getJsonObject("data").getString("reason")).isNotBlank();
            assertThat(readinessCheck(ready.json(), "smprotocol-smtp").getString("status")).isEqualTo("UP");
        }
        System.clearProperty(PING_PORT);
        ManagementClient.Response started = management.post("/q/smprotocol/protocols/ping/start");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().getString("state")).isEqualTo("RUNNING");
        assertThat(management.get("/q/health/ready").status()).isEqualTo(200);
    }

    @Test
    void metricsCountLinesAndCommandsPerProtocol() throws Exception {
        try (LineClient ping = LineClient.connect(Protocols.port(manager, "ping"))) {
            assertThat(ping.command("PING")).isEqualTo("+PONG");
            assertThat(ping.command("HELLO")).startsWith("-ERR");
        }
        String metrics = management.get("/q/metrics").body();
        assertThat(metrics).contains("smprotocol_connections_open{protocol=\"ping\"}")
                .contains("smprotocol_connections_accepted_total{protocol=\"ping\"}")
                .contains("smprotocol_lines_total{protocol=\"ping\"}")
                .contains("smprotocol_commands_total{protocol=\"ping\",verb=\"PING\"}")
                // an unknown verb has figures of its own, or counts as OTHER once other tests used up the bound
                .containsPattern("smprotocol_command_errors_total\\{protocol=\"ping\",verb=\"(HELLO|OTHER)\"}")
                .contains("smprotocol_command_latency_seconds_count{protocol=\"ping\",verb=\"PING\"}")
                .contains("smprotocol_hook_duration_seconds_count{hook=\"io.smprotocol.demo.PingProtocol#ping()\"");
        assertThat(ManagementClient.metricValue(metrics, "smprotocol_lines_total{protocol=\"ping\"}"))
                .isGreaterThanOrEqualTo(2);
    }

    private static JsonObject readinessCheck(JsonObject health, String name) {
        return health.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(check -> name.equals(check.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no readiness check " + name + " in " + health));
    }
}
