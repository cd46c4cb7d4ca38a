package io.smprotocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.vertx.core.buffer.Buffer;

/**
 * {@link LineFramer} on its own: strict and lenient line endings, over-long lines discarded (serving) or passed
 * through with their exact bytes (proxying), whatever the segmentation of the stream. Each case is checked fed whole,
 * split at every byte boundary and fed one byte at a time.
 */
class LineFramerTest {

    static final Charset UTF8 = StandardCharsets.UTF_8;

    /** What the framer reported, in order, as readable strings: {@code line:TEXT}, {@code too-long}, {@code bare}. */
    static final class Recorder implements LineFramer.Listener {
        final List<String> events = new ArrayList<>();
        final List<byte[]> raws = new ArrayList<>();
        final ByteArrayOutputStream passedThrough = new ByteArrayOutputStream();
        final ByteArrayOutputStream everythingOut = new ByteArrayOutputStream();

        @Override
        public void onLine(String line, Buffer raw) {
            events.add("line:" + line);
            if (raw != null) {
                raws.add(raw.getBytes());
                everythingOut.writeBytes(raw.getBytes());
            }
        }

        @Override
        public void onLineTooLong() {
            events.add("too-long");
        }

        @Override
        public void onBareLineEnding() {
            events.add("bare");
        }

        @Override
        public void onPassThrough(Buffer piece) {
            if (events.isEmpty() || !events.get(events.size() - 1).equals("pass")) {
                events.add("pass");
            }
            passedThrough.writeBytes(piece.getBytes());
            everythingOut.writeBytes(piece.getBytes());
        }
    }

    enum Feeding {
        WHOLE,
        EVERY_SPLIT,
        BYTE_BY_BYTE
    }

    /**
     * Feeds the input to fresh framers in every way and checks each gives the same events.
     *
     * @return the recorder of the whole feeding
     */
    static Recorder feedEveryWay(LineEnding ending, int max, boolean keepRaw, boolean passThrough, byte[] input,
            List<String> expectedEvents) {
        Recorder whole = new Recorder();
        new LineFramer(ending, max, UTF8, keepRaw, passThrough, whole).feed(Buffer.buffer(input));
        assertThat(whole.events).as("events, fed whole").containsExactlyElementsOf(expectedEvents);

        for (int split = 1; split < input.length; split++) {
            Recorder recorder = new Recorder();
            LineFramer framer = new LineFramer(ending, max, UTF8, keepRaw, passThrough, recorder);
            framer.feed(Buffer.buffer(Arrays.copyOfRange(input, 0, split)));
            framer.feed(Buffer.buffer(Arrays.copyOfRange(input, split, input.length)));
            assertThat(recorder.events).as("events, split at %d", split).containsExactlyElementsOf(expectedEvents);
            assertThat(recorder.everythingOut.toByteArray()).as("bytes out, split at %d", split)
                    .isEqualTo(whole.everythingOut.toByteArray());
        }

        Recorder bytewise = new Recorder();
        LineFramer framer = new LineFramer(ending, max, UTF8, keepRaw, passThrough, bytewise);
        for (byte b : input) {
            framer.feed(Buffer.buffer(new byte[] { b }));
        }
        assertThat(bytewise.events).as("events, byte by byte").containsExactlyElementsOf(expectedEvents);
        assertThat(bytewise.everythingOut.toByteArray()).as("bytes out, byte by byte")
                .isEqualTo(whole.everythingOut.toByteArray());
        return whole;
    }

    // ---- line endings

    static Stream<Arguments> lineEndings() {
        return Stream.of(
                Arguments.of(LineEnding.STRICT_CRLF, "HELO a\r\n", List.of("line:HELO a")),
                Arguments.of(LineEnding.LENIENT, "HELO a\r\n", List.of("line:HELO a")),
                Arguments.of(LineEnding.STRICT_CRLF, "HELO a\n", List.of("bare")),
                Arguments.of(LineEnding.LENIENT, "HELO a\n", List.of("line:HELO a")),
                Arguments.of(LineEnding.STRICT_CRLF, "a\rb\r\nc\r\n", List.of("bare", "line:c")),
                Arguments.of(LineEnding.LENIENT, "a\rb\r\nc\r\n", List.of("line:a\rb", "line:c")),
                Arguments.of(LineEnding.STRICT_CRLF, "a\r\r\n", List.of("bare")),
                Arguments.of(LineEnding.LENIENT, "a\r\r\n", List.of("line:a\r")),
                Arguments.of(LineEnding.STRICT_CRLF, "\r\n\r\n", List.of("line:", "line:")),
                Arguments.of(LineEnding.LENIENT, "\n\r\n", List.of("line:", "line:")),
                Arguments.of(LineEnding.STRICT_CRLF, "one\r\ntwo\nthree\r\n", List.of("line:one", "bare", "line:three")),
                Arguments.of(LineEnding.LENIENT, "nul\0inside\r\n", List.of("line:nul\0inside")),
                Arguments.of(LineEnding.STRICT_CRLF, "no end yet", List.of()),
                Arguments.of(LineEnding.STRICT_CRLF, "cr at the end\r", List.of()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lineEndings")
    void linesEndAsTheLineEndingPolicySays(LineEnding ending, String input, List<String> expected) {
        feedEveryWay(ending, 100, false, false, input.getBytes(UTF8), expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lineEndings")
    void rawBytesOfEachLineAreExactlyWhatArrived(LineEnding ending, String input, List<String> expected) {
        Recorder recorder = feedEveryWay(ending, 100, true, false, input.getBytes(UTF8), expected);

        // every line read, in lenient mode, is exactly a slice of the input ending with its own line ending
        if (ending == LineEnding.LENIENT) {
            String rebuilt = String.join("", recorder.raws.stream().map(raw -> new String(raw, UTF8)).toList());
            assertThat(input).startsWith(rebuilt);
        }
        for (byte[] raw : recorder.raws) {
            assertThat(raw[raw.length - 1]).isEqualTo((byte) '\n');
        }
    }

    /**
     * Lines that lie whole in a read are found eight bytes at a time: wherever a CR, an LF or the maximum length falls
     * within the words, the lines are those that framing byte by byte finds.
     */
    @ParameterizedTest
    @EnumSource(LineEnding.class)
    void linesFoundWordByWordAreThoseFoundByteByByte(LineEnding ending) {
        for (int max : new int[] { 16, 100 }) {
            for (int position = 0; position < 24; position++) {
                for (String mark : List.of("\r", "\n", "\r\n", "\r\r\n", "\n\r")) {
                    byte[] input = ("x".repeat(position) + mark + "y".repeat(23 - position) + "\r\n" + "z".repeat(15)
                            + "\r\n" + "w".repeat(16) + "\n" + "v".repeat(17) + "\r\nend\r\n").getBytes(UTF8);
                    Recorder bytewise = new Recorder();
                    LineFramer framer = new LineFramer(ending, max, UTF8, false, false, bytewise);
                    for (byte b : input) {
                        framer.feed(Buffer.buffer(new byte[] { b }));
                    }
                    feedEveryWay(ending, max, false, false, input, bytewise.events);
                }
            }
        }
    }

    @Test
    void aLineIsDecodedWithTheCharset() {
        byte[] latin1 = "caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Recorder utf8 = new Recorder();
        Recorder iso = new Recorder();

        new LineFramer(LineEnding.LENIENT, 100, UTF8, false, false, utf8).feed(Buffer.buffer(latin1));
        new LineFramer(LineEnding.LENIENT, 100, StandardCharsets.ISO_8859_1, false, false, iso)
                .feed(Buffer.buffer(latin1));

        assertThat(iso.events).containsExactly("line:caf\u00e9");
        assertThat(utf8.events).containsExactly("line:caf\ufffd");
    }

    // ---- over-long lines, discarded

    static Stream<Arguments> overLongDiscarded() {
        return Stream.of(
                Arguments.of("exactly the maximum", "abcd\r\nok\r\n", List.of("line:abcd", "line:ok")),
                Arguments.of("one byte over", "abcde\r\nok\r\n", List.of("too-long", "line:ok")),
                Arguments.of("far over", "abcdefghijklmnopqrstuvwxyz\r\nok\r\n", List.of("too-long", "line:ok")),
                Arguments.of("far over, bare LF", "abcdefghijklmnopqrstuvwxyz\nok\n", List.of("too-long", "line:ok")),
                Arguments.of("two over-long lines in a row", "abcdefgh\r\nijklmnop\r\n", List.of("too-long", "too-long")),
                Arguments.of("CR inside an over-long line", "abc\rdefgh\r\nok\r\n", List.of("too-long", "line:ok")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overLongDiscarded")
    void anOverLongLineIsReportedOnceAndItsRestDiscarded(String description, String input, List<String> expected) {
        Recorder recorder = feedEveryWay(LineEnding.LENIENT, 4, false, false, input.getBytes(UTF8), expected);

        assertThat(recorder.passedThrough.size()).isZero();
    }

    @Test
    void anOverLongLineIsDiscardedInStrictModeToo() {
        feedEveryWay(LineEnding.STRICT_CRLF, 4, false, false, "abcdefgh\r\nok\r\n".getBytes(UTF8),
                List.of("too-long", "line:ok"));
    }

    @Test
    void aSixteenMebibyteLineIsReportedOnceAndFramingGoesOnAfterIt() {
        Recorder recorder = new Recorder();
        LineFramer framer = new LineFramer(LineEnding.LENIENT, 64, UTF8, false, false, recorder);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 256; i++) {
            // 16 MiB without a line end
            framer.feed(Buffer.buffer(chunk));
        }
        framer.feed(Buffer.buffer("\r\nok\r\n"));

        assertThat(recorder.events).containsExactly("too-long", "line:ok");
    }

    // ---- over-long lines, passed through (proxy)

    static Stream<Arguments> passThrough() {
        return Stream.of(
                Arguments.of("exactly the maximum is a line", "abcd\r\n", List.of("line:abcd")),
                Arguments.of("exactly the maximum with bare LF", "abcd\n", List.of("line:abcd")),
                Arguments.of("one byte over", "abcde\r\n", List.of("pass")),
                Arguments.of("far over, then a line", "abcdefghijklmnopqrstuvwxyz\r\nok\r\n", List.of("pass", "line:ok")),
                Arguments.of("CR at the edge", "abcd\rx\r\n", List.of("pass")),
                Arguments.of("two CRs at the edge", "abcd\r\r\n", List.of("pass")),
                Arguments.of("CR, NUL and non-ASCII in the over-long line",
                        "ab\0\rc\u00ff\u00fe\rxyz\r\nok\n", List.of("pass", "line:ok")),
                Arguments.of("a line, an over-long line, a line", "GET\r\nVALUE-0123456789\r\nEND\r\n",
                        List.of("line:GET", "pass", "line:END")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passThrough")
    void anOverLongLineIsPassedOnWithItsExactBytes(String description, String input, List<String> expected) {
        byte[] bytes = input.getBytes(UTF8);

        Recorder recorder = feedEveryWay(LineEnding.LENIENT, 4, true, true, bytes, expected);

        // nothing is lost, added or reordered: lines' raw bytes and pieces together are the input
        assertThat(recorder.everythingOut.toByteArray()).isEqualTo(bytes);
        assertThat(recorder.events).doesNotContain("too-long");
    }

    @Test
    void piecesOfAnOverLongLineGoOnAsTheyArriveWithoutWaitingForTheLineEnd() {
        Recorder recorder = new Recorder();
        LineFramer framer = new LineFramer(LineEnding.LENIENT, 8, UTF8, true, true, recorder);

        framer.feed(Buffer.buffer("0123456789"));
        assertThat(recorder.passedThrough.toString(UTF8)).isEqualTo("0123456789");
        framer.feed(Buffer.buffer("abc"));
        assertThat(recorder.passedThrough.toString(UTF8)).isEqualTo("0123456789abc");
        framer.feed(Buffer.buffer("\r\nnext\r\n"));

        assertThat(recorder.passedThrough.toString(UTF8)).isEqualTo("0123456789abc\r\n");
        assertThat(recorder.events).containsExactly("pass", "line:next");
    }

    @Test
    void aLargeValuePassesThroughByteForByteWhateverTheSegmentation() {
        // a memcached-style data block of 10 KiB with every byte value but CR and LF, behind a 64-byte maximum
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes("set k 0 0 10240\r\n".getBytes(UTF8));
        byte[] value = new byte[10240];
        for (int i = 0; i < value.length; i++) {
            byte b = (byte) (i * 31 + 7);
            value[i] = b == '\n' || b == '\r' ? (byte) 'x' : b;
        }
        stream.writeBytes(value);
        stream.writeBytes("\r\nget k\r\n".getBytes(UTF8));
        byte[] input = stream.toByteArray();

        for (int pieceSize : new int[] { 1, 3, 63, 64, 65, 1000, 4096, input.length }) {
            Recorder recorder = new Recorder();
            LineFramer framer = new LineFramer(LineEnding.LENIENT, 64, UTF8, true, true, recorder);
            for (int start = 0; start < input.length; start += pieceSize) {
                framer.feed(Buffer.buffer(Arrays.copyOfRange(input, start, Math.min(input.length, start + pieceSize))));
            }

            assertThat(recorder.events).as("pieces of %d", pieceSize)
                    .containsExactly("line:set k 0 0 10240", "pass", "line:get k");
            assertThat(recorder.everythingOut.toByteArray()).as("pieces of %d", pieceSize).isEqualTo(input);
        }
    }

    /**
     * Seeded random streams of short words, blanks, CR, LF and multi-byte characters, against small maximum lengths:
     * a stream fed whole (plain bytes taken in runs) frames exactly as the same stream fed one byte at a time, in
     * every mode.
     */
    @Test
    void randomStreamsFrameTheSameFedWholeOrByteByByte() {
        java.util.Random random = new java.util.Random(20261121);
        String[] pieces = { "a", "PING", " ", "\r", "\n", "\r\n", "\u00e9", "x".repeat(9), "\0" };
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n >= 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] input = text.toString().getBytes(UTF8);
            LineEnding ending = random.nextBoolean() ? LineEnding.STRICT_CRLF : LineEnding.LENIENT;
            int max = 1 + random.nextInt(12);
            boolean passThrough = random.nextBoolean();
            boolean keepRaw = random.nextBoolean();

            Recorder whole = new Recorder();
            new LineFramer(ending, max, UTF8, keepRaw, passThrough, whole).feed(Buffer.buffer(input));
            Recorder bytewise = new Recorder();
            LineFramer framer = new LineFramer(ending, max, UTF8, keepRaw, passThrough, bytewise);
            for (byte b : input) {
                framer.feed(Buffer.buffer(new byte[] { b }));
            }
            String what = String.format("round %d: %s, max %d, pass-through %s, input %s", round, ending, max,
                    passThrough, Arrays.toString(input));
            assertThat(whole.events).as(what).containsExactlyElementsOf(bytewise.events);
            assertThat(whole.everythingOut.toByteArray()).as(what).isEqualTo(bytewise.everythingOut.toByteArray());
        }
    }
}
