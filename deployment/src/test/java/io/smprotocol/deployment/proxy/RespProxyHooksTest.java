package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

        final List<String> replyHeads = new CopyOnWriteArrayList<>();

        /**
         * A missing key reads as the string "missing" instead of a null bulk string; a value of exactly
         * {@link #REPLACED_SIZE} bytes reads as "+replaced".
         */
        @OnReply
        Relay reply(String reply) {
            replyHeads.add(reply);
            if (reply.equals("$" + REPLACED_SIZE)) {
                return Relay.replace("+replaced");
            }
            return reply.equals("$-1") ? Relay.replace("$7", "missing") : null;
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    RedisHooks hooks;

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

    static final int LARGE_SIZE = 20_000_000;
    static final int REPLACED_SIZE = 5_000_001;

    @Test
    void repliesOfAnySizeAndDepthReachTheReplyHookAndPassByteForByte() throws Exception {
        // 20 MB with CR and LF in it, far over max-line-length (8 KiB here): the hook reads its first line
        byte[] value = new byte[LARGE_SIZE];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) "value\r\n".charAt(i % 7);
        }
        String script = "local t = {} local c = t for i = 1, 999 do local n = {} c[1] = n c = n end c[1] = 7 return t";
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendRaw("*3\r\n$3\r\nSET\r\n$5\r\nlarge\r\n$" + LARGE_SIZE + "\r\n");
            client.sendBytes(value);
            client.sendRaw("\r\n");
            assertThat(client.readLine()).isEqualTo("+OK");
            client.sendRaw(resp("GET", "large"));
            assertThat(client.readLine()).isEqualTo("$" + LARGE_SIZE);
            assertThat(client.readBytes(LARGE_SIZE)).isEqualTo(value);
            assertThat(client.readLine()).isEmpty();

            client.sendRaw(resp("EVAL", script, "0"));
            for (int depth = 0; depth < 1000; depth++) {
                assertThat(client.readLine()).as("depth %d", depth).isEqualTo("*1");
            }
            assertThat(client.readLine()).isEqualTo(":7");
            // each reply was one, paired with its command: the next reply answers the next command
            client.sendRaw(resp("EXISTS", "large"));
            assertThat(client.readLine()).isEqualTo(":1");
        }
        assertThat(hooks.replyHeads).contains("$" + LARGE_SIZE, "*1");
    }

    @Test
    void aLargeReplyTheHookReplacesIsReplacedWhole() throws Exception {
        try (LineClient direct = LineClient.connect(redis.port())) {
            direct.sendRaw("*3\r\n$3\r\nSET\r\n$8\r\nreplaced\r\n$" + REPLACED_SIZE + "\r\n");
            direct.sendBytes(new byte[REPLACED_SIZE]);
            direct.sendRaw("\r\n");
            assertThat(direct.readLine()).isEqualTo("+OK");
        }
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendRaw(resp("GET", "replaced"));
            assertThat(client.readLine()).isEqualTo("+replaced");
            // nothing of the 5 MB followed the replacement
            client.sendRaw(resp("EXISTS", "replaced"));
            assertThat(client.readLine()).isEqualTo(":1");
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
