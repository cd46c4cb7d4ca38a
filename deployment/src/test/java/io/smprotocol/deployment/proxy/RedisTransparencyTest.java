package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import io.smprotocol.codec.RespCodec;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * A RESP proxy in front of a real redis-server (started from {@code PATH} on a free port for each test) is
 * transparent for what redis speaks beyond plain commands and replies: a replication stream, deeply nested replies,
 * values of 100 MB, malformed commands, an unterminated inline command, a blocking command. Each test compares with
 * redis itself where redis has its own answer. Skipped, naming the Debian package, where redis-server is not
 * installed.
 */
class RedisTransparencyTest {

    /** Redis' own bound on an inline command ({@code PROTO_INLINE_MAX_SIZE}). */
    static final int MAX_LINE_LENGTH = 64 * 1024;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("redis-relay"), RedisRelay.class, ServerProgram.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.redis-relay.forward.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.redis-relay.forward.port",
                    String.valueOf(ServerProgram.freePort()))
            .overrideConfigKey("quarkus.smprotocol.protocols.redis-relay.max-line-length",
                    String.valueOf(MAX_LINE_LENGTH));

    /** Forwards everything; records the verbs its hook saw, as the demo's proxy counts them. */
    @Protocol(value = "redis-relay", codec = RespCodec.class)
    public static class RedisRelay {
        final List<String> verbs = new CopyOnWriteArrayList<>();

        @NonBlocking
        @OnLine
        void seen(Command command) {
            verbs.add(command.verb());
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    RedisRelay relay;

    ServerProgram redis;
    int proxy;

    @BeforeEach
    void startRedis() {
        Assumptions.assumeTrue(ServerProgram.onPath("redis-server"),
                "redis-server not installed: apt-get install redis-server");
        int port = ServerProgram.backendPort(manager, "redis-relay");
        // the RDB file goes over the socket as a bulk string of known length, as to any replica without capa eof
        redis = ServerProgram.start(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--repl-diskless-sync", "no", "--dir",
                System.getProperty("java.io.tmpdir"), "--dbfilename", "transparency-" + port + ".rdb"), port);
        proxy = LineClient.portOf(manager, "redis-relay");
        relay.verbs.clear();
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theReplicationStreamAfterSyncArrivesWholeAndThenPassesThrough() throws Exception {
        try (RawClient direct = RawClient.connect(redis.port())) {
            // some data, so that the RDB file is a few hundred kilobytes
            StringBuilder sets = new StringBuilder();
            for (int i = 0; i < 4000; i++) {
                sets.append(resp("SET", "key:" + i, "x".repeat(64) + i));
            }
            direct.send(sets.toString());
            for (int i = 0; i < 4000; i++) {
                assertThat(direct.line()).isEqualTo("+OK");
            }
        }

        long directNanos;
        byte[] directRdb;
        try (RawClient direct = RawClient.connect(redis.port())) {
            long started = System.nanoTime();
            direct.send("SYNC\r\n");
            directRdb = direct.rdb();
            directNanos = System.nanoTime() - started;
        }

        try (RawClient replica = RawClient.connect(proxy)) {
            long started = System.nanoTime();
            replica.send("SYNC\r\n");
            // the RDB file ends without CR LF: it must arrive without the proxy waiting for two more bytes
            byte[] rdb = replica.rdb();
            long proxyNanos = System.nanoTime() - started;
            System.out.printf("RDB of %d bytes after SYNC: directly in %.1f ms, through the proxy in %.1f ms%n",
                    rdb.length, directNanos / 1e6, proxyNanos / 1e6);
            assertThat(new String(rdb, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("REDIS");
            assertThat(rdb.length).isEqualTo(directRdb.length);

            // the stream that follows is the replication of what others write, passed through as redis sends it
            try (RawClient writer = RawClient.connect(redis.port())) {
                writer.send(resp("SET", "replicated", "value"));
                assertThat(writer.line()).isEqualTo("+OK");
            }
            String stream = replica.readUntilContains("replicated");
            assertThat(stream).contains("$3\r\nSET\r\n$10\r\nreplicated\r\n$5\r\nvalue\r\n");
        }
        assertThat(server().passThroughConnections()).isEqualTo(1);
    }

    @Test
    void aReplyNestedAThousandDeepIsRelayedByteForByte() throws Exception {
        String script = "local t = {} local c = t for i = 1, 999 do local n = {} c[1] = n c = n end c[1] = 7 return t";
        String command = resp("EVAL", script, "0");
        byte[] expected;
        try (RawClient direct = RawClient.connect(redis.port())) {
            direct.send(command);
            expected = direct.until(":7\r\n");
        }
        assertThat(expected).startsWith("*1\r\n*1\r\n*1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(depth(expected)).isEqualTo(1000);

        try (RawClient client = RawClient.connect(proxy)) {
            client.send(command);
            assertThat(client.until(":7\r\n")).isEqualTo(expected);
            // the connection goes on: the reply was paired with its command, the next one with the next
            client.send(resp("PING"));
            assertThat(client.line()).isEqualTo("+PONG");
        }
        CommandCount eval = verb("EVAL");
        assertThat(eval.replies()).isEqualTo(1);
        assertThat(eval.errors()).isZero();
    }

    @Test
    void aHundredMegabyteValueStreamsThroughBothWaysWithBoundedHeap() throws Exception {
        int size = 100 * 1024 * 1024;
        HeapWatch heap = HeapWatch.start();
        long crcSent;
        try (RawClient client = RawClient.connect(proxy)) {
            OutputStream out = client.out();
            out.write(("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
            crcSent = writePattern(out, size);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(client.line()).isEqualTo("+OK");

            try (RawClient direct = RawClient.connect(redis.port())) {
                direct.send(resp("STRLEN", "big"));
                assertThat(direct.line()).isEqualTo(":" + size);
            }

            client.send(resp("GET", "big"));
            assertThat(client.line()).isEqualTo("$" + size);
            assertThat(readPattern(client.in(), size)).isEqualTo(crcSent);
            assertThat(client.line()).isEmpty();
            client.send(resp("PING"));
            assertThat(client.line()).isEqualTo("+PONG");
        }
        long grown = heap.stop();
        System.out.printf("100 MB SET and GET through the proxy: heap in use (garbage included) at most %.1f MB above"
                + " the %.1f MB before; live after a collection at most %.1f MB%n", grown / 1048576.0,
                heap.baseline / 1048576.0, heap.peakLive.get() / 1048576.0);
        // the hook saw both commands, without the value
        assertThat(relay.verbs).containsExactly("SET", "GET", "PING");
    }

    @Test
    void eachMalformedCommandGetsRedisOwnError() throws Exception {
        List<String> malformed = List.of("*3000000000\r\n", "*abc\r\n", "*1\r\nx\r\n", "*1\r\n$-5\r\n",
                "*1\r\n$abc\r\n", "*1\r\n$1000000000000\r\n", "SET \"unbalanced\r\n");
        long unparsedBefore = unparsedCount();
        long unparsedErrorsBefore = unparsedErrors();
        List<String> viaProxy = new ArrayList<>();
        List<String> direct = new ArrayList<>();
        for (String input : malformed) {
            direct.add(firstLineOf(redis.port(), input));
            viaProxy.add(firstLineOf(proxy, input));
        }
        assertThat(direct).allMatch(line -> line.startsWith("-ERR Protocol error") || line.startsWith("-ERR"));
        assertThat(viaProxy).containsExactlyElementsOf(direct);
        assertThat(direct).contains("-ERR Protocol error: invalid multibulk length",
                "-ERR Protocol error: expected '$', got 'x'", "-ERR Protocol error: invalid bulk length");
        // counted, once per connection, as what the codec could not parse
        assertThat(unparsedCount() - unparsedBefore).isEqualTo(6);
        assertThat(unparsedErrors() - unparsedErrorsBefore).isEqualTo(6);
    }

    @Test
    void anUnterminatedMegabyteIsRefusedAtTheBoundWhilePingsOnAnotherConnectionGoOn() throws Exception {
        long unparsedBefore = unparsedCount();
        long unparsedBytesBefore = unparsedBytes();
        try (RawClient hostile = RawClient.connect(proxy); RawClient other = RawClient.connect(proxy)) {
            // just under the bound: held by the proxy, not yet refused
            byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                hostile.out().write(chunk);
            }
            hostile.out().flush();
            for (int i = 0; i < 100; i++) {
                other.send(resp("PING"));
                assertThat(other.line()).isEqualTo("+PONG");
            }
            assertThat(hostile.in().available()).as("the unterminated command is not answered yet").isZero();

            // the rest of the megabyte, from another thread: once refused, its writes may fail; the other
            // connection is answered meanwhile, and the hostile one is refused before its megabyte is through
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 3; i < 64; i++) {
                        hostile.out().write(chunk);
                    }
                    hostile.out().flush();
                } catch (IOException refused) {
                    // the connection was closed: the refusal is what the test reads
                }
            });
            for (int i = 0; i < 100; i++) {
                other.send(resp("PING"));
                assertThat(other.line()).isEqualTo("+PONG");
            }
            String refusal = hostile.lineOrEnd();
            rest.get(30, TimeUnit.SECONDS);
            assertThat(refusal).isIn("-ERR Protocol error: too big inline request", "(closed)");
            assertThat(hostile.lineOrEnd()).isEqualTo("(closed)");
        }
        // the proxy held no more than the bound and one read before it forwarded the bytes for redis to refuse
        assertThat(unparsedCount() - unparsedBefore).isEqualTo(1);
        assertThat(unparsedBytes() - unparsedBytesBefore).isGreaterThan(MAX_LINE_LENGTH)
                .isLessThan(MAX_LINE_LENGTH + 256 * 1024);
    }

    @Test
    void aBlockingCommandReachesRedisBeforeALaterCommandOnAnotherConnection() throws Exception {
        try (RawClient blocked = RawClient.connect(proxy);
                RawClient pusher = RawClient.connect(proxy);
                RawClient direct = RawClient.connect(redis.port())) {
            blocked.send(resp("BRPOPLPUSH", "source", "destination", "0"));
            // nothing else is sent on any connection: the command must have gone on by itself
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                direct.send(resp("INFO", "clients"));
                assertThat(direct.bulk()).contains("blocked_clients:1");
            });
            pusher.send(resp("LPUSH", "source", "moved"));
            assertThat(pusher.line()).isEqualTo(":1");
            assertThat(blocked.line()).isEqualTo("$5");
            assertThat(blocked.line()).isEqualTo("moved");
            direct.send(resp("LRANGE", "destination", "0", "-1"));
            assertThat(direct.line()).isEqualTo("*1");
            assertThat(direct.bulk()).isEqualTo("moved");
        }
    }

    // ---- helpers

    private ProtocolServer server() {
        return manager.protocol("redis-relay").orElseThrow();
    }

    private CommandCount verb(String verb) {
        return server().statistics().snapshot().stream().filter(s -> s.verb().equals(verb)).findFirst()
                .orElseThrow(() -> new AssertionError("no statistics for " + verb));
    }

    private long unparsedCount() {
        return unparsed().map(CommandCount::count).orElse(0L);
    }

    private long unparsedErrors() {
        return unparsed().map(CommandCount::errors).orElse(0L);
    }

    private long unparsedBytes() {
        return unparsed().map(CommandCount::bytes).orElse(0L);
    }

    private java.util.Optional<CommandCount> unparsed() {
        return server().statistics().snapshot().stream().filter(s -> s.verb().equals("UNPARSED")).findFirst();
    }

    private static String firstLineOf(int port, String input) throws IOException {
        try (RawClient client = RawClient.connect(port)) {
            client.send(input);
            return client.lineOrEnd();
        }
    }

    private static int depth(byte[] reply) {
        int depth = 0;
        String text = new String(reply, StandardCharsets.US_ASCII);
        while (text.startsWith("*1\r\n", depth * 4)) {
            depth++;
        }
        return depth;
    }

    static String resp(String... words) {
        StringBuilder command = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            command.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                    .append("\r\n");
        }
        return command.toString();
    }

    /** Writes {@code size} bytes of a pattern, in chunks, never holding them all; @return their checksum */
    private static long writePattern(OutputStream out, int size) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] chunk = new byte[64 * 1024];
        for (int written = 0; written < size; written += chunk.length) {
            int length = Math.min(chunk.length, size - written);
            for (int i = 0; i < length; i++) {
                // every byte value, CR and LF included
                chunk[i] = (byte) ((written + i) * 31 + (written + i) / 4096);
            }
            crc.update(chunk, 0, length);
            out.write(chunk, 0, length);
        }
        return crc.getValue();
    }

    private static long readPattern(InputStream in, int size) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] chunk = new byte[64 * 1024];
        int left = size;
        while (left > 0) {
            int read = in.read(chunk, 0, Math.min(chunk.length, left));
            if (read < 0) {
                throw new EOFException(left + " bytes of the value missing");
            }
            crc.update(chunk, 0, read);
            left -= read;
        }
        return crc.getValue();
    }

    /** Samples the heap in use while a transfer runs; reports the most it grew above where it started. */
    private static final class HeapWatch {
        final long baseline;
        final AtomicLong peak = new AtomicLong();
        /** The most the heap held right after a collection: what stayed reachable. */
        final AtomicLong peakLive = new AtomicLong();
        /** Samples every 5 ms; stopping it waits for a sample in progress. */
        final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "heap-watch");
            thread.setDaemon(true);
            return thread;
        });

        private HeapWatch() {
            System.gc();
            baseline = used();
            sampler.scheduleAtFixedRate(() -> {
                peak.accumulateAndGet(used(), Math::max);
                peakLive.accumulateAndGet(liveAfterCollection(), Math::max);
            }, 0, 5, TimeUnit.MILLISECONDS);
        }

        static HeapWatch start() {
            return new HeapWatch();
        }

        long stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
            return Math.max(0, peak.get() - baseline);
        }

        private static long liveAfterCollection() {
            long live = 0;
            for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                java.lang.management.MemoryUsage afterGc = pool.getCollectionUsage();
                if (pool.getType() == java.lang.management.MemoryType.HEAP && afterGc != null) {
                    live += afterGc.getUsed();
                }
            }
            return live;
        }

        private static long used() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    /** A client reading RESP by hand, for streams a line client cannot hold (an RDB file, 100 MB). */
    static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            this.out = socket.getOutputStream();
        }

        static RawClient connect(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(LineClient.READ_TIMEOUT_MILLIS * 3);
            return new RawClient(socket);
        }

        InputStream in() {
            return in;
        }

        OutputStream out() {
            return out;
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** @return the next line without CR LF */
        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed after '" + line + "'");
                }
                if (b == '\n') {
                    int length = line.length();
                    return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1)
                            : line.toString();
                }
                line.append((char) b);
            }
        }

        /** @return the next line, or {@code (closed)} when the server closed (or reset) the connection first */
        String lineOrEnd() {
            try {
                return line();
            } catch (IOException closed) {
                return "(closed)";
            }
        }

        /** @return the next bulk string's text */
        String bulk() throws IOException {
            String header = line();
            assertThat(header).startsWith("$");
            byte[] bytes = in.readNBytes(Integer.parseInt(header.substring(1)));
            line();
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** @return the RDB file redis sends after SYNC: {@code $<length>} then the file, with no CR LF after it */
        byte[] rdb() throws IOException {
            int b;
            // newlines keep the link alive while redis writes the file
            while ((b = in.read()) == '\n') {
                continue;
            }
            assertThat((char) b).isEqualTo('$');
            int length = Integer.parseInt(line());
            byte[] rdb = in.readNBytes(length);
            if (rdb.length < length) {
                throw new EOFException("RDB cut at " + rdb.length + " of " + length);
            }
            return rdb;
        }

        byte[] until(String end) throws IOException {
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            byte[] terminator = end.getBytes(StandardCharsets.US_ASCII);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed before '" + end.strip() + "'");
                }
                read.write(b);
                byte[] bytes = read.toByteArray();
                if (endsWith(bytes, terminator)) {
                    return bytes;
                }
            }
        }

        String readUntilContains(String text) throws IOException {
            StringBuilder read = new StringBuilder();
            while (!read.toString().contains(text)) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed before '" + text + "'");
                }
                read.append((char) b);
            }
            // the rest of the command that holds the text
            while (!read.toString().endsWith("value\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                read.append((char) b);
            }
            return read.toString();
        }

        private static boolean endsWith(byte[] bytes, byte[] end) {
            if (bytes.length < end.length) {
                return false;
            }
            for (int i = 0; i < end.length; i++) {
                if (bytes[bytes.length - end.length + i] != end[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
