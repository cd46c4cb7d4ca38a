package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.Command;
import io.smprotocol.CommandCount;
import io.smprotocol.OnLine;
import io.smprotocol.Protocol;
import io.smprotocol.codec.MemcachedCodec;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * A real memcached, started from {@code PATH} on a free port for each test, behind a proxy protocol that speaks its
 * text protocol with {@link MemcachedCodec} and a maximum line length of 64 bytes. Values (with CR, LF and NUL, and far
 * longer than the maximum) and replies cross the proxy byte for byte, which the test checks against what memcached
 * itself answers on a direct connection; hooks see each command line and never a value; the statistics pair each reply
 * with its command, {@code noreply} included. Skipped, naming the Debian package, where memcached is not installed.
 */
class MemcachedProxyTest {

    static final int MAX_LINE_LENGTH = 64;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("memcached-proxy"), MemcachedProxy.class,
            ServerProgram.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.memcached-proxy.forward.host", "127.0.0.1")
            // a free port picked when the application is configured; each test starts memcached on it
            .overrideConfigKey("quarkus.smprotocol.protocols.memcached-proxy.forward.port",
                    String.valueOf(ServerProgram.freePort()))
            .overrideConfigKey("quarkus.smprotocol.protocols.memcached-proxy.max-line-length",
                    String.valueOf(MAX_LINE_LENGTH));

    /** Forwards everything; records the commands its hook saw. */
    @Protocol(value = "memcached-proxy", codec = MemcachedCodec.class)
    public static class MemcachedProxy {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @NonBlocking
        @OnLine
        void seen(Command command) {
            seen.add(command.line());
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    MemcachedProxy proxyBean;

    ServerProgram memcached;
    int proxy;

    @BeforeEach
    void startMemcached() {
        Assumptions.assumeTrue(ServerProgram.onPath("memcached"), "memcached not installed: apt-get install memcached");
        memcached = ServerProgram.memcached(ServerProgram.backendPort(manager, "memcached-proxy"));
        proxy = LineClient.portOf(manager, "memcached-proxy");
        proxyBean.seen.clear();
    }

    @AfterEach
    void stopMemcached() {
        if (memcached != null) {
            memcached.close();
        }
    }

    @Test
    void aValueWithCrLfAndNulIsStoredAndReadBackByteForByte() throws Exception {
        byte[] value = bytes("first\r\nsecond\0\nthird\r", (byte) 0xff, (byte) 0x00, (byte) '\r', (byte) '\n');
        byte[] expectedGet = concat(bytes("VALUE awkward 42 " + value.length + "\r\n"), value, bytes("\r\nEND\r\n"));

        try (LineClient client = LineClient.connect(proxy)) {
            client.sendBytes(concat(bytes("set awkward 42 0 " + value.length + "\r\n"), value, bytes("\r\n")));
            assertThat(client.readLine()).isEqualTo("STORED");

            client.sendBytes(bytes("get awkward\r\n"));
            assertThat(client.readBytes(expectedGet.length)).isEqualTo(expectedGet);
            // nothing else was sent: the next reply is the next command's
            assertThat(client.call("version")).startsWith("VERSION ");
        }
        assertThat(directly("get awkward\r\n", "END\r\n")).as("what memcached itself holds").isEqualTo(expectedGet);
        // the value's lines are part of the set, not commands of their own
        assertThat(proxyBean.seen).containsExactly("set awkward 42 0 " + value.length, "get awkward", "version");
    }

    @Test
    void noreplyCommandsGetNoReplyAndTheRepliesAfterThemPairWithTheirCommands() throws Exception {
        CommandCount setBefore = count("SET");
        CommandCount getBefore = count("GET");
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendBytes(bytes("set quiet 0 0 7 noreply\r\nq\r\nu\r\ni\r\nget quiet\r\n"));
            assertThat(client.readUntil("END\r\n")).isEqualTo(bytes("VALUE quiet 0 7\r\nq\r\nu\r\ni\r\nEND\r\n"));
            assertThat(client.call("version")).startsWith("VERSION ");
        }
        CommandCount set = count("SET");
        CommandCount get = count("GET");
        assertThat(set.count() - setBefore.count()).as("sets").isEqualTo(1);
        assertThat(set.replies() - setBefore.replies()).as("replies to the noreply set").isZero();
        assertThat(get.count() - getBefore.count()).as("gets").isEqualTo(1);
        assertThat(get.replies() - getBefore.replies()).as("replies paired with the get").isEqualTo(1);
        assertThat(get.errors() - getBefore.errors()).isZero();
        assertThat(proxyBean.seen).containsExactly("set quiet 0 0 7 noreply", "get quiet", "version");
    }

    @Test
    void aValueOverMemcachedsItemLimitGetsMemcachedsOwnErrorAndTheConnectionGoesOn() throws Exception {
        // 900 KiB fits in memcached's 1 MiB items, 1.5 MiB does not: both stream through a 64-byte window
        byte[] fits = new byte[900 * 1024];
        Arrays.fill(fits, (byte) '\n');
        byte[] tooLarge = new byte[1536 * 1024];
        CommandCount before = count("SET");
        try (LineClient client = LineClient.connect(proxy)) {
            client.sendBytes(concat(bytes("set fits 0 0 " + fits.length + "\r\n"), fits, bytes("\r\n")));
            assertThat(client.readLine()).isEqualTo("STORED");
            client.sendBytes(concat(bytes("set huge 0 0 " + tooLarge.length + "\r\n"), tooLarge, bytes("\r\n")));
            assertThat(client.readLine()).isEqualTo("SERVER_ERROR object too large for cache");
            client.sendBytes(bytes("get fits\r\n"));
            byte[] expected = concat(bytes("VALUE fits 0 " + fits.length + "\r\n"), fits, bytes("\r\nEND\r\n"));
            assertThat(client.readBytes(expected.length)).isEqualTo(expected);
            assertThat(client.call("version")).startsWith("VERSION ");
        }
        CommandCount after = count("SET");
        assertThat(after.count() - before.count()).isEqualTo(2);
        assertThat(after.errors() - before.errors()).as("the refused set").isEqualTo(1);
        assertThat(proxyBean.seen).containsExactly("set fits 0 0 " + fits.length, "set huge 0 0 " + tooLarge.length,
                "get fits", "version");
    }

    @Test
    void aValueFarLongerThanTheMaximumLineLengthPassesThroughUnreadByHooks() throws Exception {
        // 10 KiB without CR or LF: one line of 10240 bytes behind a 64-byte maximum
        byte[] value = new byte[10 * 1024];
        for (int i = 0; i < value.length; i++) {
            byte b = (byte) (i * 7 + 3);
            value[i] = b == '\r' || b == '\n' ? (byte) 'x' : b;
        }
        byte[] set = concat(bytes("set big 0 0 " + value.length + "\r\n"), value, bytes("\r\n"));
        byte[] expectedGet = concat(bytes("VALUE big 0 " + value.length + "\r\n"), value, bytes("\r\nEND\r\n"));

        try (LineClient client = LineClient.connect(proxy)) {
            // in three writes cut in the middle of the value
            client.sendBytes(Arrays.copyOfRange(set, 0, 30));
            client.sendBytes(Arrays.copyOfRange(set, 30, 5000));
            client.sendBytes(Arrays.copyOfRange(set, 5000, set.length));
            assertThat(client.readLine()).isEqualTo("STORED");

            client.sendBytes(bytes("get big\r\n"));
            assertThat(client.readBytes(expectedGet.length)).isEqualTo(expectedGet);
            assertThat(client.call("version")).startsWith("VERSION ");
        }

        assertThat(directly("get big\r\n", "END\r\n")).as("what memcached itself holds").isEqualTo(expectedGet);
        // the over-long value line never reached a hook; the commands around it did
        assertThat(proxyBean.seen).containsExactly("set big 0 0 " + value.length, "get big", "version");
    }

    @Test
    void aBinaryValueOfEveryByteLargerThanTheMaximumRoundTrips() throws Exception {
        // every byte value, CR and LF included, 40 times: lines short and long, all relayed as they came
        byte[] value = new byte[256 * 40];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        byte[] expectedGet = concat(bytes("VALUE bin 7 " + value.length + "\r\n"), value, bytes("\r\nEND\r\n"));

        try (LineClient client = LineClient.connect(proxy)) {
            client.sendBytes(concat(bytes("set bin 7 0 " + value.length + "\r\n"), value, bytes("\r\n")));
            assertThat(client.readLine()).isEqualTo("STORED");
            client.sendBytes(bytes("get bin\r\n"));
            assertThat(client.readBytes(expectedGet.length)).isEqualTo(expectedGet);
            assertThat(client.call("version")).startsWith("VERSION ");
        }
        assertThat(directly("get bin\r\n", "END\r\n")).isEqualTo(expectedGet);
    }

    @Test
    void anOverLongCommandLineIsRelayedAndAnsweredLikeADirectOne() throws Exception {
        StringBuilder multiGet = new StringBuilder("get");
        for (int i = 0; i < 20; i++) {
            multiGet.append(" key").append(i);
        }
        String command = multiGet.toString();
        assertThat(command.length()).isGreaterThan(MAX_LINE_LENGTH);

        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("set key3 0 0 5\r\nthree")).isEqualTo("STORED");
            assertThat(client.call("set key17 1 0 9\r\nseventeen")).isEqualTo("STORED");

            client.sendBytes(bytes(command + "\r\n"));
            byte[] viaProxy = client.readUntil("END\r\n");

            assertThat(new String(viaProxy, StandardCharsets.UTF_8))
                    .isEqualTo("VALUE key3 0 5\r\nthree\r\nVALUE key17 1 9\r\nseventeen\r\nEND\r\n");
            assertThat(viaProxy).isEqualTo(directly(command + "\r\n", "END\r\n"));
        }
        assertThat(proxyBean.seen).as("lines the hook read").doesNotContain(command);
    }

    @Test
    void deleteRemovesTheKeyInMemcached() throws Exception {
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("set doomed 0 0 3\r\nabc")).isEqualTo("STORED");
            assertThat(client.call("delete doomed")).isEqualTo("DELETED");
            client.sendBytes(bytes("get doomed\r\n"));
            assertThat(client.readBytes(5)).isEqualTo(bytes("END\r\n"));
            assertThat(client.call("delete doomed")).isEqualTo("NOT_FOUND");
        }
        assertThat(directly("get doomed\r\n", "END\r\n")).isEqualTo(bytes("END\r\n"));
    }

    @Test
    void statsComeFromThisMemcachedAndCountTheRelayedCommands() throws Exception {
        byte[] stats;
        try (LineClient client = LineClient.connect(proxy)) {
            assertThat(client.call("set counted 0 0 1\r\nx")).isEqualTo("STORED");
            client.sendBytes(bytes("get counted\r\n"));
            assertThat(client.readUntil("END\r\n")).isEqualTo(bytes("VALUE counted 0 1\r\nx\r\nEND\r\n"));
            client.sendBytes(bytes("get missing\r\n"));
            assertThat(client.readUntil("END\r\n")).isEqualTo(bytes("END\r\n"));

            client.sendBytes(bytes("stats\r\n"));
            stats = client.readUntil("\r\nEND\r\n");
        }

        String text = new String(stats, StandardCharsets.US_ASCII);
        List<String> lines = Arrays.asList(text.split("\r\n", -1));
        assertThat(lines.get(lines.size() - 1)).as("after END").isEmpty();
        assertThat(lines.get(lines.size() - 2)).isEqualTo("END");
        assertThat(lines.subList(0, lines.size() - 2)).isNotEmpty().allMatch(line -> line.matches("STAT \\S+ \\S.*"));
        assertThat(lines).contains("STAT pid " + memcached.pid(), "STAT cmd_set 1", "STAT cmd_get 2",
                "STAT get_hits 1", "STAT get_misses 1");
        // the same statistics, in the same order, as memcached gives on a direct connection
        String direct = new String(directly("stats\r\n", "\r\nEND\r\n"), StandardCharsets.US_ASCII);
        assertThat(statNames(text)).containsExactlyElementsOf(statNames(direct));

        CommandCount statsVerb = manager.protocol("memcached-proxy").orElseThrow().statistics().snapshot()
                .stream().filter(verb -> verb.verb().equals("STATS")).findFirst().orElseThrow();
        assertThat(statsVerb.count()).isEqualTo(1);
        assertThat(statsVerb.errors()).isZero();
    }

    // ---- helpers

    private CommandCount count(String verb) {
        return manager.protocol("memcached-proxy").orElseThrow().statistics().snapshot().stream()
                .filter(count -> count.verb().equals(verb)).findFirst()
                .orElse(new CommandCount(verb, 0, 0, 0, 0, 0, 0));
    }

    /** Sends a request to memcached itself, bypassing the proxy, and reads its reply up to {@code end}. */
    private byte[] directly(String request, String end) throws Exception {
        try (LineClient direct = LineClient.connect(memcached.port())) {
            direct.sendBytes(bytes(request));
            return direct.readUntil(end);
        }
    }

    private static List<String> statNames(String stats) {
        return Arrays.stream(stats.split("\r\n")).filter(line -> line.startsWith("STAT "))
                .map(line -> line.split(" ")[1]).toList();
    }

    static byte[] bytes(String text, byte... more) {
        return concat(text.getBytes(StandardCharsets.UTF_8), more);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
