package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.Command;
import io.smprotocol.OnCommand;
import io.smprotocol.OnReply;
import io.smprotocol.Protocol;
import io.smprotocol.Relay;
import io.smprotocol.codec.RespCodec;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Hooks of a RESP proxy in front of a real redis-server (started from {@code PATH} on a free port for each test):
 * a rewritten command reaches redis as a well-formed RESP command, a command the proxy answers or blocks never reaches
 * redis (checked with redis' own {@code INFO commandstats}), and a reply hook replaces a reply with valid RESP.
 * Skipped, naming the Debian package, where redis-server is not installed.
 */
class RespProxyHooksTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("redis-hooks"), RedisHooks.class, ServerProgram.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.redis-hooks.forward.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.redis-hooks.forward.port",
                    String.valueOf(ServerProgram.freePort()));

    @Protocol(value = "redis-hooks", codec = RespCodec.class)
    public static class RedisHooks {

        /** Keys under {@code rewrite:} get another value on their way to redis. */
        @OnCommand("SET")
        Relay set(Command command) {
            String key = command.arguments().split(" ", 2)[0];
            return key.startsWith("rewrite:") ? Relay.replace("SET " + key + " rewritten-by-proxy") : null;
        }

        @OnCommand("FLUSHALL")
        String flushAll() {
            return "-ERR blocked";
        }

        @OnCommand("PING")
        String ping() {
            return "+PONG from the proxy";
        }

        @OnCommand("DEBUG")
        Relay debug() {
            return Relay.drop();
        }

        /** A missing key reads as the string "missing" instead of a null bulk string. */
        @OnReply
        Relay reply(String reply) {
            return reply.equals("$-1") ? Relay.replace("$7", "missing") : null;
        }
    }

    @Inject
    ProtocolManager manager;

    ServerProgram redis;
    int proxy;

    @BeforeEach
    void startRedis() throws Exception {
        Assumptions.assumeTrue(ServerProgram.onPath("redis-server"),
                "redis-server not installed: apt-get install redis-server");
        redis = ServerProgram.redis(ServerProgram.backendPort(manager, "redis-hooks"));
        proxy = LineClient.portOf(manager, "redis-hooks");
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRewrittenSetReachesRedisAsAWellFormedCommandAndOthersPassByteForByte() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendRaw(resp("SET", "rewrite:k", "original"));
            assertThat(client.readLine()).isEqualTo("+OK");
            // a value with blanks, CR and LF is forwarded as it came, not re-encoded from the hook's text
            client.sendRaw(resp("SET", "plain:k", "a b\r\nc"));
            assertThat(client.readLine()).isEqualTo("+OK");
        }

        try (LineClient direct = LineClient.connect(redis.port())) {
            assertThat(direct.call("GET rewrite:k")).isEqualTo("$18");
            assertThat(direct.readLine()).isEqualTo("rewritten-by-proxy");
            direct.sendRaw(resp("GET", "plain:k"));
            assertThat(direct.readLine()).isEqualTo("$6");
            assertThat(new String(direct.readBytes(8), StandardCharsets.UTF_8)).isEqualTo("a b\r\nc\r\n");
        }
    }

    @Test
    void commandsTheProxyAnswersOrBlocksNeverReachRedis() throws Exception {
        try (LineClient direct = LineClient.connect(redis.port())) {
            assertThat(direct.call("SET survivor 1")).isEqualTo("+OK");
            assertThat(direct.call("CONFIG RESETSTAT")).isEqualTo("+OK");
        }

        try (LineClient client = LineClient.connect(proxy)) {
            client.sendRaw(resp("FLUSHALL"));
            assertThat(client.readLine()).isEqualTo("-ERR blocked");
            client.sendRaw(resp("PING"));
            assertThat(client.readLine()).isEqualTo("+PONG from the proxy");
            client.sendRaw(resp("DEBUG", "SLEEP", "0"));
            // dropped: no reply; the next reply answers the next command
            client.sendRaw(resp("EXISTS", "survivor"));
            assertThat(client.readLine()).isEqualTo(":1");
        }

        try (LineClient direct = LineClient.connect(redis.port())) {
            assertThat(direct.call("DBSIZE")).isEqualTo(":1");
            String commandStats = bulk(direct, "INFO commandstats");
            assertThat(commandStats).contains("cmdstat_exists:calls=1,").doesNotContain("cmdstat_flushall")
                    .doesNotContain("cmdstat_ping").doesNotContain("cmdstat_debug");
        }
    }

    @Test
    void aReplyHookReplacesANullBulkStringWithValidResp() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendRaw(resp("GET", "no-such-key"));
            assertThat(client.readLine()).isEqualTo("$7");
            assertThat(client.readLine()).isEqualTo("missing");
            // replies that are not null bulk strings pass unchanged
            client.sendRaw(resp("SET", "k", "v"));
            assertThat(client.readLine()).isEqualTo("+OK");
            client.sendRaw(resp("GET", "k"));
            assertThat(client.readLine()).isEqualTo("$1");
            assertThat(client.readLine()).isEqualTo("v");
        }
    }

    // ---- helpers

    /** @return the command as a RESP array of bulk strings */
    static String resp(String... words) {
        StringBuilder command = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            command.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                    .append("\r\n");
        }
        return command.toString();
    }

    /** Sends an inline command whose reply is a bulk string and returns that string. */
    static String bulk(LineClient client, String command) throws Exception {
        String header = client.call(command);
        assertThat(header).startsWith("$");
        int length = Integer.parseInt(header.substring(1));
        byte[] body = client.readBytes(length + 2);
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }
}
