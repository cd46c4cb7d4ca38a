package io.smprotocol.codec;

import static io.smprotocol.codec.RespCodecTest.bytes;
import static io.smprotocol.codec.RespCodecTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * Memcached's text protocol as a proxy and a server read it: commands with their data blocks, whole replies, the
 * reply scanner, each fed every input split at every byte boundary. Whatever the split, every byte comes out once, in
 * order, with the same frames and reply ends.
 */
class MemcachedCodecTest {

    static final int WINDOW = 64;
    static final MemcachedCodec CODEC = new MemcachedCodec();

    // ---- commands

    @Test
    void aValueHoldingLineEndsIsPartOfItsCommandNeverACommandItself() {
        byte[] value = bytes("get x\r\n\nquit\r", (byte) 0, (byte) 0xff);
        byte[] input = concat(bytes("set k 7 0 " + value.length + "\r\n"), value, bytes("\r\nget k\r\n"));
        for (int split = 0; split <= input.length; split++) {
            List<Frame> frames = commands(input, split);
            assertThat(frames).as("split at %d", split).extracting(Frame::text)
                    .containsExactly("set k 7 0 " + value.length, "get k");
            assertThat(joined(frames)).isEqualTo(input);
        }
    }

    @Test
    void everyStorageCommandAndTheMetaSetCarryABlock() {
        byte[] input = bytes("add a 0 0 2\r\n\r\n\r\nreplace a 0 0 1\r\nx\r\nappend a 0 0 1\r\ny\r\n"
                + "prepend a 0 0 1 noreply\r\nz\r\ncas a 0 0 1 99\r\nw\r\nms a 2 T0 F5\r\nhi\r\nmn\r\n");
        for (int split = 0; split <= input.length; split++) {
            assertThat(commands(input, split)).as("split at %d", split).extracting(Frame::text).containsExactly(
                    "add a 0 0 2", "replace a 0 0 1", "append a 0 0 1", "prepend a 0 0 1 noreply", "cas a 0 0 1 99",
                    "ms a 2 T0 F5", "mn");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "set k 0 0 -1", "set k 0 0 five", "set k 0 0", "cas k 0 0 5", "set k 0 0 99999999999" })
    void aCommandMemcachedRefusesReadsNoBlockAsMemcachedReadsNone(String line) {
        // memcached answers CLIENT_ERROR or ERROR and reads the next line as a command: so does the codec
        List<Frame> frames = commands(bytes(line + "\r\nhello\r\n"), 0);
        assertThat(frames).extracting(Frame::text).containsExactly(line, "hello");
    }

    @Test
    void aCommandLargerThanTheWindowGoesOnInPiecesAfterAFirstFrameWithItsLine() {
        byte[] value = new byte[1000];
        Arrays.fill(value, (byte) '\n');
        byte[] input = concat(bytes("set big 0 0 1000\r\n"), value, bytes("\r\nget big\r\n"));
        for (int split = 0; split <= input.length; split++) {
            List<Frame> frames = commands(input, split);
            assertThat(frames.get(0).text()).as("split at %d", split).isEqualTo("set big 0 0 1000");
            assertThat(frames.subList(1, frames.size() - 1)).allMatch(frame -> frame.text() == null);
            assertThat(frames.get(frames.size() - 1).text()).isEqualTo("get big");
            assertThat(joined(frames)).isEqualTo(input);
        }
    }

    @Test
    void aCommandLineLongerThanTheWindowGoesOnUnread() {
        String multiGet = "get" + " key".repeat(40);
        byte[] input = bytes(multiGet + "\r\nversion\r\n");
        for (int split = 0; split <= input.length; split++) {
            List<Frame> frames = commands(input, split);
            assertThat(frames.subList(0, frames.size() - 1)).as("split at %d", split)
                    .allMatch(frame -> frame.text() == null);
            assertThat(frames.get(frames.size() - 1).text()).isEqualTo("version");
            assertThat(joined(frames)).isEqualTo(input);
        }
    }

    @Test
    void noreplyCommandsExpectNoReplyAndOthersDo() {
        assertThat(CODEC.expectsReply(new Frame(null, "set k 0 0 1 noreply"))).isFalse();
        assertThat(CODEC.expectsReply(new Frame(null, "delete k noreply"))).isFalse();
        assertThat(CODEC.expectsReply(new Frame(null, "incr n 1 noreply"))).isFalse();
        assertThat(CODEC.expectsReply(new Frame(null, "set k 0 0 1"))).isTrue();
        // get takes no noreply: memcached reads it as one more key and answers
        assertThat(CODEC.expectsReply(new Frame(null, "get k noreply"))).isTrue();
        assertThat(CODEC.expectsReply(new Frame(null, ""))).isFalse();
    }

    @Test
    void aServerRefusesACommandLargerThanItsMaximum() {
        Codec.Decoder decoder = CODEC.decoder(false, WINDOW, StandardCharsets.UTF_8);
        List<Frame> frames = new ArrayList<>();
        decoder.decode(Buffer.buffer("set small 0 0 2\r\nok\r\n"), frames::add);
        assertThat(frames).extracting(Frame::text).containsExactly("set small 0 0 2");
        assertThatThrownBy(() -> decoder.decode(Buffer.buffer(concat(bytes("set big 0 0 100\r\n"), new byte[100],
                bytes("\r\n"))), frames::add)).isInstanceOf(Codec.CodecException.class)
                .hasMessageContaining("max-line-length");
    }

    // ---- replies

    static final byte[] REPLIES = bytes("VALUE a 0 3\r\na\r\n\r\nVALUE b 5 1 77\r\nb\r\nEND\r\nSTORED\r\nEND\r\n"
            + "STAT pid 1\r\nSTAT uptime 2\r\nEND\r\nVA 2 f\r\n\n\n\r\nHD\r\nVERSION 1.6.18\r\n"
            + "SERVER_ERROR out of memory\r\nCLIENT_ERROR bad data chunk\r\nERROR\r\n");
    static final List<String> REPLY_TEXTS = List.of("VALUE a 0 3", "STORED", "END", "STAT pid 1", "VA 2 f", "HD",
            "VERSION 1.6.18", "SERVER_ERROR out of memory", "CLIENT_ERROR bad data chunk", "ERROR");

    @Test
    void repliesAreWholeWhateverTheSplit() {
        for (int split = 0; split <= REPLIES.length; split++) {
            List<Frame> frames = replies(REPLIES, split);
            assertThat(frames).as("split at %d", split).extracting(Frame::text).containsExactlyElementsOf(REPLY_TEXTS);
            assertThat(joined(frames)).isEqualTo(REPLIES);
        }
    }

    @Test
    void theScannerEndsRepliesWhereTheDecoderDoesAndTellsErrors() {
        List<long[]> expected = new ArrayList<>();
        int offset = 0;
        for (Frame frame : replies(REPLIES, 0)) {
            offset += frame.bytes().length();
            expected.add(new long[] { offset, CODEC.isError(frame.text()) ? 1 : 0 });
        }
        assertThat(expected.stream().filter(end -> end[1] == 1)).hasSize(3);
        for (int split = 0; split <= REPLIES.length; split++) {
            assertThat(scan(REPLIES, split)).as("split at %d", split).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aReplyLargerThanTheWindowGoesOnInPiecesAfterItsFirstLine() {
        byte[] value = new byte[5000];
        Arrays.fill(value, (byte) '\r');
        byte[] input = concat(bytes("VALUE big 0 5000\r\n"), value, bytes("\r\nEND\r\nSTORED\r\n"));
        for (int split = 0; split <= input.length; split += 7) {
            List<Frame> frames = replies(input, split);
            assertThat(frames.get(0).text()).as("split at %d", split).isEqualTo("VALUE big 0 5000");
            assertThat(frames.subList(1, frames.size() - 1)).allMatch(frame -> frame.text() == null);
            assertThat(frames.get(frames.size() - 1).text()).isEqualTo("STORED");
            assertThat(joined(frames)).isEqualTo(input);
        }
    }

    // ---- helpers

    private static List<Frame> commands(byte[] bytes, int split) {
        return SplitFeeds.frames(CODEC.relayDecoder(WINDOW, 1 << 20, StandardCharsets.UTF_8), bytes, split);
    }

    private static List<Frame> replies(byte[] bytes, int split) {
        return SplitFeeds.frames(CODEC.decoder(true, WINDOW, StandardCharsets.UTF_8), bytes, split);
    }

    private static byte[] joined(List<Frame> frames) {
        return SplitFeeds.joined(frames);
    }

    private static List<long[]> scan(byte[] bytes, int split) {
        return SplitFeeds.ends(CODEC.replyScanner(), bytes, split);
    }
}
