package io.smprotocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * {@link LineCodec} as a proxy uses it: one frame per line with its exact bytes (LF or CR LF), and a line over the
 * maximum passed on in pieces without text, so that whatever arrives leaves byte for byte.
 */
class LineCodecTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("CR LF line", "stats\r\n", List.of("stats")),
                Arguments.of("bare LF line", "stats\n", List.of("stats")),
                Arguments.of("bare CR inside a line", "a\rb\r\n", List.of("a\rb")),
                Arguments.of("empty line", "\r\n", List.of("")),
                Arguments.of("line of exactly the maximum", "0123456789abcdef\r\n", List.of("0123456789abcdef")),
                Arguments.of("line one byte over the maximum", "0123456789abcdefg\r\n", List.of("<pass>")),
                Arguments.of("memcached set with an over-long value",
                        "set k 0 0 40\r\n" + "v".repeat(40) + "\r\nget k\r\n",
                        List.of("set k 0 0 40", "<pass>", "get k")),
                Arguments.of("memcached get reply with an over-long value",
                        "VALUE k 0 40\r\n" + "v".repeat(40) + "\r\nEND\r\n",
                        List.of("VALUE k 0 40", "<pass>", "END")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void framesCarryTheExactBytesInBothDirections(String description, String input, List<String> texts) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (boolean replies : new boolean[] { false, true }) {
            List<Frame> frames = new ArrayList<>();
            new LineCodec().decoder(replies, 16, StandardCharsets.UTF_8).decode(Buffer.buffer(bytes), frames::add);

            assertThat(texts(frames)).as("replies: %s", replies).containsExactlyElementsOf(texts);
            assertThat(concat(frames)).as("replies: %s", replies).isEqualTo(bytes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void framesAreTheSameFedOneByteAtATime(String description, String input, List<String> texts) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        List<Frame> frames = new ArrayList<>();
        Codec.Decoder decoder = new LineCodec().decoder(false, 16, StandardCharsets.UTF_8);
        for (byte b : bytes) {
            decoder.decode(Buffer.buffer(new byte[] { b }), frames::add);
        }

        assertThat(texts(frames)).containsExactlyElementsOf(texts);
        assertThat(concat(frames)).isEqualTo(bytes);
    }

    /**
     * Random streams made mostly of CR, LF, NUL and high bytes, cut at random places: what comes out is exactly what
     * went in, every frame with text is at most the maximum plus its line ending, and its text is its bytes without
     * the ending.
     */
    @Test
    void randomStreamsCutAnywhereComeOutByteForByte() {
        Random random = new Random(20240611);
        byte[] alphabet = { '\r', '\n', 0, 'a', 'b', ' ', (byte) 0xff, (byte) 0xc3, (byte) 0xa9 };
        for (int round = 0; round < 500; round++) {
            int max = 1 + random.nextInt(40);
            byte[] input = new byte[1 + random.nextInt(400)];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            // everything is out once the stream ends with a line end
            input[input.length - 1] = '\n';

            List<Frame> frames = new ArrayList<>();
            Codec.Decoder decoder = new LineCodec().decoder(random.nextBoolean(), max, StandardCharsets.ISO_8859_1);
            for (int start = 0; start < input.length;) {
                int end = Math.min(input.length, start + 1 + random.nextInt(50));
                decoder.decode(Buffer.buffer(Arrays.copyOfRange(input, start, end)), frames::add);
                start = end;
            }

            assertThat(concat(frames)).as("round %d, maximum %d", round, max).isEqualTo(input);
            for (Frame frame : frames) {
                if (frame.text() == null) {
                    continue;
                }
                byte[] raw = frame.bytes().getBytes();
                int ending = raw.length >= 2 && raw[raw.length - 2] == '\r' ? 2 : 1;
                assertThat(raw[raw.length - 1]).isEqualTo((byte) '\n');
                assertThat(raw.length - ending).as("round %d: line length", round).isLessThanOrEqualTo(max);
                assertThat(frame.text()).isEqualTo(
                        new String(raw, 0, raw.length - ending, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void linesAHookSendsAreEncodedWithCrLf() {
        Buffer encoded = new LineCodec().encode(List.of("get k", "caf\u00e9", ""), false, StandardCharsets.UTF_8);

        assertThat(encoded.getBytes()).isEqualTo("get k\r\ncaf\u00e9\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new LineCodec().encode(List.of("END"), true, StandardCharsets.UTF_8).toString())
                .isEqualTo("END\r\n");
    }

    static Stream<Arguments> errorReplies() {
        return Stream.of(
                Arguments.of("ERROR", true),
                Arguments.of("CLIENT_ERROR bad data chunk", true),
                Arguments.of("SERVER_ERROR out of memory", true),
                Arguments.of("-ERR x", true),
                Arguments.of("550 no such user", true),
                Arguments.of("421 closing", true),
                Arguments.of("250 OK", false),
                Arguments.of("STORED", false),
                Arguments.of("END", false),
                Arguments.of("VALUE k 0 5", false),
                Arguments.of("4x", false));
    }

    @ParameterizedTest(name = "{0} is an error: {1}")
    @MethodSource("errorReplies")
    void theDefaultErrorRuleKnowsMemcachedRespAndNumericReplies(String reply, boolean error) {
        assertThat(new LineCodec().isError(reply)).isEqualTo(error);
    }

    private static List<String> texts(List<Frame> frames) {
        List<String> texts = new ArrayList<>();
        for (Frame frame : frames) {
            String text = frame.text() == null ? "<pass>" : frame.text();
            // consecutive pieces of one over-long line show as one
            if (!(text.equals("<pass>") && !texts.isEmpty() && texts.get(texts.size() - 1).equals("<pass>"))) {
                texts.add(text);
            }
        }
        return texts;
    }

    private static byte[] concat(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(frame -> out.writeBytes(frame.bytes().getBytes()));
        return out.toByteArray();
    }
}
