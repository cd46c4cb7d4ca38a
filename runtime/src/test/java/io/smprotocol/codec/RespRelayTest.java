package io.smprotocol.codec;

import static io.smprotocol.codec.RespCodecTest.bytes;
import static io.smprotocol.codec.RespCodecTest.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * RESP as a proxy reads it: the relay decoder of commands and the reply scanner, each fed every input in one read and
 * split at every byte boundary. Whatever the split, every byte comes out once, in order, and the frames and reply
 * ends are the same.
 */
class RespRelayTest {

    static final Charset UTF8 = StandardCharsets.UTF_8;
    static final int WINDOW = 32;

    // ---- commands

    @Test
    void aCommandWithinTheWindowIsOneFrameWithItsWordsWhateverTheSplit() {
        byte[] command = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\n\0x\r\n");
        for (int split = 0; split <= command.length; split++) {
            List<Frame> frames = relay(command, split);
            assertThat(frames).as("split at %d", split).extracting(Frame::text).containsExactly("SET k v\r\n\0x");
            assertThat(joined(frames)).isEqualTo(command);
        }
    }

    @Test
    void aCommandLargerThanTheWindowGoesOnInPiecesAfterAFirstFrameWithTheVerb() {
        byte[] value = new byte[1000];
        Arrays.fill(value, (byte) '\n');
        byte[] command = concat(bytes("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$1000\r\n"), value, bytes("\r\n*1\r\n$4\r\nPING\r\n"));
        for (int split = 0; split <= command.length; split++) {
            List<Frame> frames = relay(command, split);
            assertThat(frames.get(0).text()).as("split at %d", split).isEqualTo("SET key");
            assertThat(frames.subList(1, frames.size() - 1)).allMatch(frame -> frame.text() == null && !frame.unparsed());
            assertThat(frames.get(frames.size() - 1).text()).isEqualTo("PING");
            assertThat(joined(frames)).isEqualTo(command);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("*3000000000\r\n*1\r\n$4\r\nPING\r\n"),
                Arguments.of("*x\r\n"),
                Arguments.of("*1\r\n+PING\r\n"),
                Arguments.of("*1\r\n$-1\r\n*1\r\n$4\r\nPING\r\n"),
                Arguments.of("*1\r\n$12345678901234567890\r\nPING\r\n"),
                Arguments.of("*1\r\n$1000000\r\n"),
                Arguments.of("*1\r\n$4\r\nPINGxy*1\r\n"),
                Arguments.of("PING " + "x".repeat(WINDOW + 10)));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void bytesRedisWouldRefuseAreUnparsedAndEveryByteGoesOn(String input) {
        byte[] bytes = bytes(input);
        for (int split = 0; split <= bytes.length; split++) {
            List<Frame> frames = relay(bytes, split);
            assertThat(frames).as("split at %d", split).anyMatch(Frame::unparsed);
            assertThat(frames.subList(frames.indexOf(frames.stream().filter(Frame::unparsed).findFirst().get()),
                    frames.size())).allMatch(Frame::unparsed);
            assertThat(joined(frames)).isEqualTo(bytes);
        }
    }

    // ---- replies

    static Stream<Arguments> replies() {
        return Stream.of(
                Arguments.of("+OK\r\n", false),
                Arguments.of("-ERR no\r\n", true),
                Arguments.of(":12\r\n", false),
                Arguments.of("$5\r\na\r\nbc\r\n", false),
                Arguments.of("$-1\r\n", false),
                Arguments.of("$0\r\n\r\n", false),
                Arguments.of("*-1\r\n", false),
                Arguments.of("*0\r\n", false),
                Arguments.of("*2\r\n$1\r\na\r\n*1\r\n:1\r\n", false),
                Arguments.of("%1\r\n+k\r\n*2\r\n:1\r\n:2\r\n", false),
                Arguments.of("|1\r\n+ttl\r\n:3\r\n+value\r\n", false),
                Arguments.of("!3\r\nbad\r\n", true),
                Arguments.of("*1\r\n".repeat(1000) + ":7\r\n", false));
    }

    @ParameterizedTest
    @MethodSource("replies")
    void eachReplyEndsWhereItEndsWhateverTheSplit(String reply, boolean error) {
        byte[] one = bytes(reply);
        byte[] two = concat(one, one);
        for (int split = 0; split <= two.length; split++) {
            List<long[]> ends = scan(two, split);
            assertThat(ends).as("split at %d", split).hasSize(2);
            assertThat(ends.get(0)[0]).isEqualTo(one.length);
            assertThat(ends.get(1)[0]).isEqualTo(two.length);
            assertThat(ends.get(0)[1] == 1).isEqualTo(error);
        }
    }

    @Test
    void theRdbFileAfterSyncIsNotAReplyAndSaysSo() {
        // the RDB file: a bulk string that no CR LF ends, then the replication stream
        byte[] stream = bytes("\n\n$5\r\nREDIS*1\r\n$4\r\nPING\r\n");
        Codec.ReplyScanner scanner = new RespCodec().replyScanner();
        assertThat(scanner.scan(Buffer.buffer(Arrays.copyOf(stream, 11)), (end, error) -> {
        })).as("the RDB file itself").isTrue();
        assertThat(scanner.scan(Buffer.buffer(Arrays.copyOfRange(stream, 11, stream.length)), (end, error) -> {
        })).as("what follows it").isFalse();
    }

    // ---- helpers

    /** Decodes the bytes as two reads, split at {@code split} */
    private static List<Frame> relay(byte[] bytes, int split) {
        return SplitFeeds.frames(new RespCodec().relayDecoder(WINDOW, 100_000, UTF8), bytes, split);
    }

    private static byte[] joined(List<Frame> frames) {
        return SplitFeeds.joined(frames);
    }

    /** @return each reply end as {offset in the whole input, 1 if an error} */
    private static List<long[]> scan(byte[] bytes, int split) {
        return SplitFeeds.ends(new RespCodec().replyScanner(), bytes, split);
    }
}
