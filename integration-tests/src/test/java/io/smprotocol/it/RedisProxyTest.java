package io.smprotocol.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.demo.CommandCounts;
import io.smprotocol.runtime.server.ProtocolManager;
import io.vertx.core.json.JsonObject;

/**
 * The demo's {@code redis-proxy} (RESP codec, a counting hook) in front of a real redis-server started for this class
 * on a free port ({@link RedisServerResource}), driven by redis' own tools: {@code redis-cli} stores and reads back a
 * value holding CR, LF and NUL byte for byte, {@code redis-benchmark} runs through the proxy without an error, and the
 * proxy's command counts (its {@link CommandCounts} bean and its statistics endpoint) equal redis-server's own
 * {@code INFO commandstats}. Skipped, naming the Debian packages, where the redis programs are not installed.
 */
@QuarkusTest
@WithTestResource(RedisServerResource.class)
class RedisProxyTest {

    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    static final int REQUESTS = 20_000;

    @Inject
    ProtocolManager manager;

    @Inject
    CommandCounts counts;

    /**
     * Set by {@link RedisServerResource}; the default keeps the other test classes' applications, which share this
     * bean but not the resource, from failing to start.
     */
    @ConfigProperty(name = RedisServerResource.PORT, defaultValue = "0")
    int redisPort;

    int proxy;
    final ManagementClient management = new ManagementClient();

    @BeforeEach
    void redisAndProxy() {
        Assumptions.assumeTrue(ExternalProgram.onPath("redis-server"),
                "redis-server not installed: apt-get install redis-server");
        Assumptions.assumeTrue(ExternalProgram.onPath("redis-cli"), "redis-cli not installed: apt-get install redis-tools");
        assertThat(redisPort).as("the port redis-server was started on").isPositive();
        proxy = Protocols.port(manager, "redis-proxy");
        assertThat(Protocols.server(manager, "redis-proxy").backend()).isEqualTo("127.0.0.1:" + redisPort);
    }

    // ---- binary values

    @Test
    void aValueWithCrLfAndNulSetWithRedisCliThroughTheProxyIsReadBackByteForByte() throws Exception {
        byte[] value = { 'v', '\r', '\n', 'a', 0, 'l', '\n', '\r', (byte) 0xff, (byte) 0x80, 0, '\r', '\n', '$', '3',
                '\r', '\n', '*' };

        ExternalProgram.RawResult set = ExternalProgram.runRaw(TOOL_TIMEOUT, value,
                List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(proxy), "-x", "SET", "binary-key"));
        assertThat(set.exitCode()).as("redis-cli -x SET; stderr: %s", set.stderr()).isZero();
        assertThat(new String(set.stdout(), StandardCharsets.UTF_8)).isEqualTo("OK\n");

        // redis-cli --raw prints the value as it is, then a line feed
        ExternalProgram.RawResult get = ExternalProgram.runRaw(TOOL_TIMEOUT, new byte[0],
                List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(proxy), "--raw", "GET", "binary-key"));
        assertThat(get.exitCode()).as("redis-cli --raw GET; stderr: %s", get.stderr()).isZero();
        assertThat(get.stdout()).isEqualTo(concat(value, new byte[] { '\n' }));

        // the exact RESP reply, through the proxy and from redis itself
        byte[] expectedReply = concat(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII), value,
                new byte[] { '\r', '\n' });
        for (int port : new int[] { proxy, redisPort }) {
            try (LineClient client = LineClient.connect(port)) {
                client.send("*2\r\n$3\r\nGET\r\n$10\r\nbinary-key\r\n");
                assertThat(client.readBytes(expectedReply.length)).as("GET on port %d", port).isEqualTo(expectedReply);
                assertThat(client.command("PING")).isEqualTo("+PONG");
            }
        }
    }

    // ---- redis-benchmark and the command counts

    @Test
    void redisBenchmarkRunsThroughTheProxyWithoutErrorsAndTheProxysCountsEqualRedisOwn() throws Exception {
        benchmarkAndCompareCounts(List.of());
    }

    @Test
    void pipelinedRedisBenchmarkRunsThroughTheProxyWithoutErrorsAndTheCountsStillMatch() throws Exception {
        // sixteen commands per write: the codec splits each read into many frames, replies come back in bursts
        benchmarkAndCompareCounts(List.of("-P", "16"));
    }

    private void benchmarkAndCompareCounts(List<String> options) throws Exception {
        Assumptions.assumeTrue(ExternalProgram.onPath("redis-benchmark"),
                "redis-benchmark not installed: apt-get install redis-tools");
        counts.reset();
        assertThat(redisCli("CONFIG", "RESETSTAT")).isEqualTo("OK");
        Map<String, JsonObject> before = proxyStatistics();

        List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1", "-p",
                String.valueOf(proxy), "-t", "set,get", "-n", String.valueOf(REQUESTS), "-q"));
        command.addAll(options);
        ExternalProgram.Result benchmark = ExternalProgram.run(TOOL_TIMEOUT, command);

        // -q prints progress lines ended by CR, then one line per test
        List<String> lines = Arrays.stream(benchmark.output().split("[\r\n]+")).map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
        assertThat(benchmark.exitCode()).as("redis-benchmark exit code; output:%n%s", benchmark.output()).isZero();
        assertThat(lines).as("redis-benchmark output").noneMatch(line -> line.toLowerCase(Locale.ROOT).contains("error"))
                .anyMatch(line -> line.matches("SET: [0-9.]+ requests per second.*"))
                .anyMatch(line -> line.matches("GET: [0-9.]+ requests per second.*"));

        Map<String, Long> redisCalls = commandStats();
        Map<String, Long> proxyCounts = counts.snapshot();
        Map<String, JsonObject> after = proxyStatistics();

        for (String verb : List.of("SET", "GET")) {
            long byRedis = redisCalls.getOrDefault(verb.toLowerCase(Locale.ROOT), 0L);
            assertThat(byRedis).as("redis' calls of %s", verb).isGreaterThanOrEqualTo(REQUESTS);
            assertThat(proxyCounts.get(verb)).as("CommandCounts of %s (redis: %s)", verb, redisCalls)
                    .isEqualTo(byRedis);
            assertThat(delta(before, after, verb, "count")).as("statistics count of %s", verb).isEqualTo(byRedis);
            assertThat(delta(before, after, verb, "replies")).as("statistics replies of %s", verb).isEqualTo(byRedis);
        }
        // redis-benchmark asks for the configuration first (CONFIG GET save, appendonly): counted on both sides too
        assertThat(proxyCounts.getOrDefault("CONFIG", 0L)).isEqualTo(redisCalls.getOrDefault("config|get", 0L));
        for (String verb : after.keySet()) {
            assertThat(delta(before, after, verb, "errors")).as("errors of %s in the proxy's statistics", verb).isZero();
        }
    }

    /**
     * redis-server answers nothing to an empty inline line (clients send one as a keep-alive). The proxy must not
     * wait for a reply to it: otherwise each later reply is paired with the command before its own, and the
     * statistics count an error, and its latency, under the wrong verb.
     */
    @Test
    void anEmptyInlineLineThatRedisDoesNotAnswerDoesNotShiftTheStatistics() throws Exception {
        Map<String, JsonObject> before = proxyStatistics();
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.command("SET not-a-number abc")).isEqualTo("+OK");
            client.send("\r\n");
            // an error reply: counted under INCR, the command it answers
            assertThat(client.command("INCR not-a-number")).startsWith("-ERR");
            assertThat(client.command("PING")).isEqualTo("+PONG");
        }
        Map<String, JsonObject> after = proxyStatistics();

        assertThat(delta(before, after, "INCR", "errors")).as("errors of INCR").isEqualTo(1);
        assertThat(delta(before, after, "SET", "errors")).as("errors of SET").isZero();
        assertThat(delta(before, after, "PING", "errors")).as("errors of PING").isZero();
        assertThat(delta(before, after, "OTHER", "errors")).as("errors of OTHER").isZero();
    }

    // ---- what the codec cannot read

    @Test
    void aMalformedRespCommandGetsRedisOwnErrorAndIsClosed() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.command("*1\r\n$4\r\nPING")).isEqualTo("+PONG");
            client.send("*1\r\n+PING\r\n");
            // forwarded unchanged: redis answers it, and closes, as it does a client of its own
            assertThat(client.readLine()).isEqualTo("-ERR Protocol error: expected '$', got '+'");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    // ---- helpers

    /** Runs redis-cli against redis-server itself, bypassing the proxy. */
    private String redisCli(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(redisPort)));
        command.addAll(List.of(arguments));
        ExternalProgram.Result result = ExternalProgram.run(TOOL_TIMEOUT, command);
        assertThat(result.exitCode()).as("%s: %s", command, result.output()).isZero();
        return result.output().strip();
    }

    /** @return redis' {@code INFO commandstats}: calls by command name, in lower case ({@code set}, {@code config|get}) */
    private Map<String, Long> commandStats() throws Exception {
        Map<String, Long> calls = new HashMap<>();
        Matcher matcher = Pattern.compile("(?m)^cmdstat_([^:]+):calls=(\\d+),").matcher(redisCli("INFO", "commandstats"));
        while (matcher.find()) {
            calls.put(matcher.group(1).toLowerCase(Locale.ROOT), Long.parseLong(matcher.group(2)));
        }
        return calls;
    }

    /** @return GET /q/smprotocol/protocols/redis-proxy/stats: the statistics of each verb */
    private Map<String, JsonObject> proxyStatistics() throws Exception {
        ManagementClient.Response response = management.get("/q/smprotocol/protocols/redis-proxy/stats");
        assertThat(response.status()).as("stats: %s", response.body()).isEqualTo(200);
        JsonObject json = response.json();
        assertThat(json.getBoolean("proxy")).isTrue();
        Map<String, JsonObject> verbs = new HashMap<>();
        json.getJsonArray("commands").forEach(verb -> verbs.put(((JsonObject) verb).getString("verb"), (JsonObject) verb));
        return verbs;
    }

    private static long delta(Map<String, JsonObject> before, Map<String, JsonObject> after, String verb, String field) {
        long then = before.containsKey(verb) ? before.get(verb).getLong(field) : 0;
        long now = after.containsKey(verb) ? after.get(verb).getLong(field) : 0;
        return now - then;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
