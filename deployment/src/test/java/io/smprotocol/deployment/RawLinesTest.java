package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.OnCommand;
import io.smprotocol.OnLine;
import io.smprotocol.Protocol;
import io.smprotocol.RawLineFaults;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Raw lines as a payload uses them: every line reaches {@code @OnLine} in order whatever the hook's thread, the lines
 * after the one that ends raw-line reading are commands again, a lost line is left to the protocol (counted, never
 * answered by the framework), and a hook that does not keep up stops the reading instead of growing a buffer.
 */
public class RawLinesTest {

    static final int MAX_LINE = 100;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("payload", "fastpayload"), Payload.class,
            FastPayload.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.payload.line-ending", "strict-crlf")
            .overrideConfigKey("quarkus.smprotocol.protocols.payload.max-line-length", String.valueOf(MAX_LINE))
            // a line-too-long-action of close must not close a connection reading raw lines either
            .overrideConfigKey("quarkus.smprotocol.protocols.payload.line-too-long-action", "close");

    /** Blocking hooks: each runs on a worker thread. */
    @Protocol("payload")
    public static class Payload {

        final List<String> lines = new ArrayList<>();
        volatile Session session;
        /** When set, the first raw line waits for it: the hook does not keep up. */
        volatile CountDownLatch hold;
        volatile long count;

        @OnCommand("DATA")
        String data(Session session) {
            this.session = session;
            lines.clear();
            count = 0;
            session.startRawLines();
            return "354 go";
        }

        @OnCommand("NOOP")
        String noop() {
            return "250 noop";
        }

        @OnLine
        String line(Session session, String line) throws InterruptedException {
            if (!session.readsRawLines()) {
                return "500 unknown";
            }
            CountDownLatch waitFor = hold;
            if (waitFor != null && count == 0) {
                waitFor.await(60, TimeUnit.SECONDS);
            }
            if (line.equals(".")) {
                session.stopRawLines();
                RawLineFaults faults = session.rawLineFaults();
                return "250 tooLong=" + faults.tooLong() + " bare=" + faults.bareLineEndings() + " count=" + count
                        + (count <= 10 ? " lines=" + lines : "");
            }
            count++;
            if (lines.size() < 10) {
                lines.add(line);
            }
            return line.startsWith("!") ? "echo " + line : null;
        }
    }

    /** The same payload read on the event loop. */
    @Protocol("fastpayload")
    @NonBlocking
    public static class FastPayload {

        long count;
        long sum;

        @OnCommand("DATA")
        String data(Session session) {
            count = 0;
            sum = 0;
            session.startRawLines();
            return "354 go";
        }

        @OnLine
        String line(Session session, String line) {
            if (line.equals(".")) {
                session.stopRawLines();
                return "250 count=" + count + " sum=" + sum;
            }
            count++;
            sum += Long.parseLong(line);
            return null;
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    Payload payload;

    @Test
    void linesOfOneWriteReachTheHookInOrderAndTheLinesAfterTheLastAreCommands() throws Exception {
        try (LineClient client = LineClient.connect(manager, "payload")) {
            assertThat(client.call("DATA")).isEqualTo("354 go");
            client.sendRaw("a\r\n!b\r\nNOOP\r\n.\r\nNOOP\r\n");
            assertThat(client.readLine()).isEqualTo("echo !b");
            assertThat(client.readLine()).isEqualTo("250 tooLong=0 bare=0 count=3 lines=[a, !b, NOOP]");
            assertThat(client.readLine()).isEqualTo("250 noop");
        }
    }

    @Test
    void lostLinesAreCountedForTheHookAndNeverAnsweredByTheFramework() throws Exception {
        try (LineClient client = LineClient.connect(manager, "payload")) {
            assertThat(client.call("DATA")).isEqualTo("354 go");
            client.sendRaw("kept\r\n" + "x".repeat(MAX_LINE * 5) + "\r\nbare\nline\r\nbare\rcr\r\n.\r\n");
            // one answer, at the end; the connection stays open although line-too-long-action is close
            assertThat(client.readLine()).isEqualTo("250 tooLong=1 bare=2 count=2 lines=[kept, line]");
            assertThat(client.call("NOOP")).isEqualTo("250 noop");
            assertThat(client.call("DATA")).isEqualTo("354 go");
            assertThat(client.call(".")).as("counts start again").isEqualTo("250 tooLong=0 bare=0 count=0 lines=[]");
        }
    }

    @Test
    void aLargePayloadReachesAnEventLoopHookWholeAndInOrder() throws Exception {
        int lines = 200_000;
        StringBuilder body = new StringBuilder();
        long sum = 0;
        for (int i = 0; i < lines; i++) {
            body.append(i).append("\r\n");
            sum += i;
        }
        try (LineClient client = LineClient.connect(manager, "fastpayload")) {
            assertThat(client.call("DATA")).isEqualTo("354 go");
            client.sendRaw(body + ".\r\n");
            assertThat(client.readLine()).isEqualTo("250 count=" + lines + " sum=" + sum);
        }
    }

    /**
     * The hook holds its first line: the server reads a bounded amount and stops, so the client's writes stop being
     * taken (its send buffer and the server's receive buffer fill), far before the message ends; then every line
     * arrives.
     */
    @Test
    void aHookThatDoesNotKeepUpStopsTheReadingWithinABound() throws Exception {
        long messageBytes = 64L * 1024 * 1024;
        byte[] line = ("y".repeat(78) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long lineCount = messageBytes / line.length;
        CountDownLatch hold = new CountDownLatch(1);
        payload.hold = hold;
        try (SocketChannel channel = SocketChannel.open(
                new InetSocketAddress("127.0.0.1", LineClient.portOf(manager, "payload")));
                Selector selector = Selector.open()) {
            channel.write(ByteBuffer.wrap("DATA\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(64);
            while (!new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).contains("\r\n")) {
                channel.read(reply);
            }
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer chunk = ByteBuffer.allocate(line.length * 1000);
            for (int i = 0; i < 1000; i++) {
                chunk.put(line);
            }
            long chunks = 0;
            boolean stalled = false;
            // writes go on until the connection takes nothing for two seconds
            while (!stalled && chunks * 1000 < lineCount) {
                chunk.rewind();
                chunks++;
                while (chunk.hasRemaining() && !stalled) {
                    if (channel.write(chunk) == 0) {
                        stalled = selector.select(2000) == 0;
                        selector.selectedKeys().clear();
                    }
                }
            }
            long sent = (chunks - 1) * chunk.capacity() + chunk.position();
            long read = payload.session.bytesIn();
            assertThat(stalled).as("the client's writes stalled").isTrue();
            assertThat(sent).as("bytes the client could send while the hook held").isLessThan(messageBytes / 4);
            // a few batches of 256 KiB and a read: far less than the message, and independent of its size
            assertThat(read).as("bytes the server read while the hook held").isLessThan(2L * 1024 * 1024);

            hold.countDown();
            key.cancel();
            selector.selectNow();
            channel.configureBlocking(true);
            channel.write(chunk);
            while (chunks * 1000 < lineCount) {
                chunk.rewind();
                channel.write(chunk);
                chunks++;
            }
            long lines = chunks * 1000;
            channel.write(ByteBuffer.wrap(".\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(256);
            while (!new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).contains("\r\n")) {
                channel.read(answer);
            }
            String text = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).trim();
            assertThat(text).isEqualTo("250 tooLong=0 bare=0 count=" + lines);
        } finally {
            payload.hold = null;
            hold.countDown();
        }
    }
}
