package io.smprotocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smprotocol.Codec;
import io.smprotocol.Codec.CodecException;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * {@link RespCodec} on its own, table-driven: every command and reply is decoded whole, split at every byte boundary
 * and fed one byte at a time, and must give the same frames with exactly the bytes received.
 */
class RespCodecTest {

    static final Charset UTF8 = StandardCharsets.UTF_8;
    static final int MAX = 1024;

    /** A byte string with the bytes that break line-based framing: CR, LF, NUL, and a byte that is not UTF-8. */
    static final byte[] AWKWARD_VALUE = bytes("a\r\nb\0c\nd\re", (byte) 0xff, (byte) 0xfe);

    // ---- commands (client to backend)

    /** A command, and the text hooks must see for it. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("array of bulk strings", bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"),
                        "SET k value"),
                Arguments.of("array with an empty bulk string", bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"),
                        "SET k "),
                Arguments.of("lower-case verb", bytes("*2\r\n$3\r\nget\r\n$1\r\nk\r\n"), "get k"),
                Arguments.of("bulk value holding CR, LF, NUL and non-UTF-8 bytes",
                        concat(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + AWKWARD_VALUE.length + "\r\n"),
                                AWKWARD_VALUE, bytes("\r\n")),
                        "SET k " + new String(AWKWARD_VALUE, UTF8)),
                Arguments.of("bulk value that looks like RESP", bytes("*2\r\n$4\r\nECHO\r\n$9\r\n*1\r\n$1\r\nx\r\n"),
                        "ECHO *1\r\n$1\r\nx"),
                Arguments.of("empty array", bytes("*0\r\n"), ""),
                Arguments.of("inline command", bytes("PING\r\n"), "PING"),
                Arguments.of("inline command ended by a bare LF", bytes("PING\n"), "PING"),
                Arguments.of("inline command with arguments and blanks around", bytes("  SET a  b \r\n"), "SET a  b"),
                Arguments.of("inline empty line", bytes("\r\n"), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aCommandIsOneFrameWithItsExactBytes(String description, byte[] command, String text) {
        List<Frame> frames = decode(commandDecoder(), command);

        assertThat(frames).hasSize(1);
        assertThat(bytesOf(frames.get(0))).isEqualTo(command);
        assertThat(frames.get(0).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aCommandSplitAtEveryByteBoundaryGivesTheSameFrame(String description, byte[] command, String text) {
        for (int split = 1; split < command.length; split++) {
            Codec.Decoder decoder = commandDecoder();
            List<Frame> frames = new ArrayList<>();
            decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(command, 0, split)), frames::add);
            assertThat(frames).as("frames after the first %d bytes", split).isEmpty();
            decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(command, split, command.length)), frames::add);

            assertThat(frames).as("split at %d", split).hasSize(1);
            assertThat(bytesOf(frames.get(0))).as("split at %d", split).isEqualTo(command);
            assertThat(frames.get(0).text()).as("split at %d", split).isEqualTo(text);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aCommandFedOneByteAtATimeGivesTheSameFrame(String description, byte[] command, String text) {
        List<Frame> frames = decodeByteByByte(commandDecoder(), command);

        assertThat(frames).hasSize(1);
        assertThat(bytesOf(frames.get(0))).isEqualTo(command);
        assertThat(frames.get(0).text()).isEqualTo(text);
    }

    @Test
    void pipelinedCommandsAreSeparateFramesInOrderWhateverTheSegmentation() {
        byte[] set = concat(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + AWKWARD_VALUE.length + "\r\n"), AWKWARD_VALUE,
                bytes("\r\n"));
        byte[] inline = bytes("PING\r\n");
        byte[] get = bytes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        byte[] all = concat(set, inline, get);

        for (int split = 0; split <= all.length; split++) {
            Codec.Decoder decoder = commandDecoder();
            List<Frame> frames = new ArrayList<>();
            decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(all, 0, split)), frames::add);
            decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(all, split, all.length)), frames::add);

            assertThat(frames).as("split at %d", split).extracting(Frame::text)
                    .containsExactly("SET k " + new String(AWKWARD_VALUE, UTF8), "PING", "GET k");
            assertThat(frames).as("split at %d", split).extracting(RespCodecTest::bytesOf)
                    .containsExactly(set, inline, get);
        }
    }

    @Test
    void anIncompleteCommandGivesNoFrameUntilItsLastByte() {
        byte[] command = bytes("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n");
        Codec.Decoder decoder = commandDecoder();
        List<Frame> frames = new ArrayList<>();

        decoder.decode(Buffer.buffer(java.util.Arrays.copyOf(command, command.length - 1)), frames::add);
        assertThat(frames).isEmpty();
        decoder.decode(Buffer.buffer(new byte[] { '\n' }), frames::add);
        assertThat(frames).extracting(Frame::text).containsExactly("GET key");
    }

    /** Commands the codec must refuse, as redis-server does ("Protocol error: ..."). */
    static Stream<Arguments> malformedCommands() {
        return Stream.of(
                Arguments.of("multibulk length not a number", "*x\r\n"),
                Arguments.of("multibulk length with trailing garbage", "*2a\r\n"),
                Arguments.of("empty multibulk length", "*\r\n"),
                Arguments.of("array element not a bulk string", "*1\r\n+PING\r\n"),
                Arguments.of("array element an integer", "*2\r\n$3\r\nGET\r\n:1\r\n"),
                Arguments.of("bulk length not a number", "*1\r\n$x\r\nPING\r\n"),
                Arguments.of("empty bulk length", "*1\r\n$\r\nPING\r\n"),
                Arguments.of("bulk length of twenty digits", "*1\r\n$12345678901234567890\r\nPING\r\n"),
                Arguments.of("negative bulk length", "*1\r\n$-1\r\n*1\r\n$4\r\nPING\r\n"),
                Arguments.of("negative bulk length alone", "*1\r\n$-5\r\n"),
                Arguments.of("a lone minus as length", "*-\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCommands")
    void aMalformedCommandIsACodecException(String description, String command) {
        assertThatThrownBy(() -> decode(commandDecoder(), bytes(command))).isInstanceOf(CodecException.class);
    }

    @Test
    void aBulkStringLongerThanTheMaximumIsRefusedFromItsHeaderOn() {
        Codec.Decoder decoder = new RespCodec().decoder(false, 16, UTF8);

        // the header announces 17 bytes: refused before the payload arrives, so it is never buffered
        assertThatThrownBy(() -> decoder.decode(Buffer.buffer("*2\r\n$3\r\nGET\r\n$17\r\n"), frame -> {
        })).isInstanceOf(CodecException.class).hasMessageContaining("16");
    }

    @Test
    void aCommandOfExactlyTheMaximumIsAcceptedEvenOneByteAtATime() {
        byte[] value = "0123456789abcdef".getBytes(UTF8);
        byte[] command = concat(bytes("*1\r\n$16\r\n"), value, bytes("\r\n"));

        List<Frame> frames = decodeByteByByte(new RespCodec().decoder(false, command.length, UTF8), command);

        assertThat(frames).extracting(RespCodecTest::bytesOf).containsExactly(command);
    }

    @Test
    void anInlineLineLongerThanTheMaximumIsRefusedBeforeItEnds() {
        Codec.Decoder decoder = new RespCodec().decoder(false, 16, UTF8);

        assertThatThrownBy(() -> decoder.decode(Buffer.buffer("PING " + "x".repeat(40)), frame -> {
        })).isInstanceOf(CodecException.class);
    }

    /**
     * {@code max-line-length} is "the largest command" for RESP: a command over it must be refused the same way
     * whether the network delivers it in one read or in several.
     */
    @Test
    void aCommandLongerThanTheMaximumIsRefusedWhateverTheSegmentation() {
        // 33 bytes, every bulk string well under the maximum of 24
        byte[] command = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
        int max = 24;

        assertThatThrownBy(() -> decodeByteByByte(new RespCodec().decoder(false, max, UTF8), command))
                .as("fed one byte at a time").isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> decode(new RespCodec().decoder(false, max, UTF8), command))
                .as("fed in one read").isInstanceOf(CodecException.class);
    }

    // ---- replies (backend to client)

    /** A reply, and the text hooks must see for it (its first line). */
    static Stream<Arguments> replies() {
        return Stream.of(
                Arguments.of("simple string", bytes("+OK\r\n"), "+OK"),
                Arguments.of("error", bytes("-ERR unknown command 'FOO'\r\n"), "-ERR unknown command 'FOO'"),
                Arguments.of("integer", bytes(":1000\r\n"), ":1000"),
                Arguments.of("negative integer", bytes(":-2\r\n"), ":-2"),
                Arguments.of("bulk string", bytes("$5\r\nhello\r\n"), "$5"),
                Arguments.of("empty bulk string", bytes("$0\r\n\r\n"), "$0"),
                Arguments.of("bulk string with CR, LF, NUL and non-UTF-8 bytes",
                        concat(bytes("$" + AWKWARD_VALUE.length + "\r\n"), AWKWARD_VALUE, bytes("\r\n")),
                        "$" + AWKWARD_VALUE.length),
                Arguments.of("null bulk string", bytes("$-1\r\n"), "$-1"),
                Arguments.of("null array", bytes("*-1\r\n"), "*-1"),
                Arguments.of("empty array", bytes("*0\r\n"), "*0"),
                Arguments.of("array of bulk strings and a null", bytes("*3\r\n$1\r\na\r\n$-1\r\n$2\r\nbc\r\n"), "*3"),
                Arguments.of("nested arrays", bytes("*2\r\n*2\r\n:1\r\n$1\r\na\r\n*2\r\n*1\r\n+x\r\n*-1\r\n"), "*2"),
                Arguments.of("array holding an error", bytes("*2\r\n+OK\r\n-ERR in a transaction\r\n"), "*2"),
                Arguments.of("RESP3 null", bytes("_\r\n"), "_"),
                Arguments.of("RESP3 boolean", bytes("#t\r\n"), "#t"),
                Arguments.of("RESP3 double", bytes(",3.14\r\n"), ",3.14"),
                Arguments.of("RESP3 big number", bytes("(3492890328409238509324850943850943825024385\r\n"),
                        "(3492890328409238509324850943850943825024385"),
                Arguments.of("RESP3 blob error", bytes("!21\r\nSYNTAX invalid syntax\r\n"), "!21"),
                Arguments.of("RESP3 verbatim string", bytes("=15\r\ntxt:Some string\r\n"), "=15"),
                Arguments.of("RESP3 map", bytes("%2\r\n+first\r\n:1\r\n+second\r\n*1\r\n$1\r\nx\r\n"), "%2"),
                Arguments.of("RESP3 set", bytes("~3\r\n+a\r\n:2\r\n#f\r\n"), "~3"),
                Arguments.of("RESP3 push", bytes(">3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$2\r\nhi\r\n"), ">3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void aReplyIsOneFrameWithItsExactBytes(String description, byte[] reply, String text) {
        List<Frame> frames = decode(replyDecoder(), reply);

        assertThat(frames).hasSize(1);
        assertThat(bytesOf(frames.get(0))).isEqualTo(reply);
        assertThat(frames.get(0).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void aReplySplitAtEveryByteBoundaryGivesTheSameFrame(String description, byte[] reply, String text) {
        for (int split = 1; split < reply.length; split++) {
            Codec.Decoder decoder = replyDecoder();
            List<Frame> frames = new ArrayList<>();
            decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(reply, 0, split)), frames::add);
            assertThat(frames).as("frames after the first %d bytes", split).isEmpty();
            decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(reply, split, reply.length)), frames::add);

            assertThat(frames).as("split at %d", split).hasSize(1);
            assertThat(bytesOf(frames.get(0))).as("split at %d", split).isEqualTo(reply);
            assertThat(frames.get(0).text()).as("split at %d", split).isEqualTo(text);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void aReplyFedOneByteAtATimeGivesTheSameFrame(String description, byte[] reply, String text) {
        List<Frame> frames = decodeByteByByte(replyDecoder(), reply);

        assertThat(frames).hasSize(1);
        assertThat(bytesOf(frames.get(0))).isEqualTo(reply);
    }

    @Test
    void everyReplyOfTheTableBackToBackGivesOneFrameEach() {
        List<Arguments> table = replies().toList();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<byte[]> expected = new ArrayList<>();
        for (Arguments row : table) {
            byte[] reply = (byte[]) row.get()[1];
            all.writeBytes(reply);
            expected.add(reply);
        }

        List<Frame> whole = decode(replyDecoder(), all.toByteArray());
        List<Frame> bytewise = decodeByteByByte(replyDecoder(), all.toByteArray());

        assertThat(whole).extracting(RespCodecTest::bytesOf).containsExactlyElementsOf(expected);
        assertThat(bytewise).extracting(RespCodecTest::bytesOf).containsExactlyElementsOf(expected);
    }

    /**
     * A RESP3 attribute ({@code |}) is not a reply of its own: the reply it describes follows it. Framed apart, the
     * attribute would be taken as the answer to one command and the real reply as the answer to the next.
     */
    @Test
    void aRespThreeAttributeIsOneFrameWithTheReplyItDescribes() {
        byte[] reply = bytes("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2039123\r\n");

        List<Frame> frames = decode(replyDecoder(), reply);

        assertThat(frames).extracting(RespCodecTest::bytesOf).containsExactly(reply);
    }

    static Stream<Arguments> malformedReplies() {
        return Stream.of(
                Arguments.of("bulk length not a number", "$x\r\nabc\r\n"),
                Arguments.of("aggregate length not a number", "*two\r\n"),
                Arguments.of("map length not a number", "%?\r\n"),
                Arguments.of("empty bulk length", "$\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedReplies")
    void aMalformedReplyIsACodecException(String description, String reply) {
        assertThatThrownBy(() -> decode(replyDecoder(), bytes(reply))).isInstanceOf(CodecException.class);
    }

    @Test
    void aReplyNestedAThousandDeepIsOneFrame() {
        byte[] deep = bytes("*1\r\n".repeat(1000) + ":1\r\n");

        assertThat(decode(new RespCodec().decoder(true, 8192, UTF8), deep)).extracting(RespCodecTest::bytesOf)
                .containsExactly(deep);
    }

    @Test
    void aBulkReplyLongerThanTheMaximumIsACodecException() {
        assertThatThrownBy(() -> decode(new RespCodec().decoder(true, 8, UTF8), bytes("$9\r\n")))
                .isInstanceOf(CodecException.class);
    }

    // ---- encoding and errors

    @Test
    void replacementCommandsAreEncodedAsArraysOfBulkStringsWithByteLengths() {
        Buffer encoded = new RespCodec().encode(List.of("SET k  caf\u00e9", "PING"), false, UTF8);

        assertThat(encoded.getBytes()).isEqualTo(
                bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\ncaf\u00e9\r\n*1\r\n$4\r\nPING\r\n"));
        // and the codec reads back what it wrote
        assertThat(decode(commandDecoder(), encoded.getBytes())).extracting(Frame::text)
                .containsExactly("SET k caf\u00e9", "PING");
    }

    @Test
    void replacementRepliesAreSentAsTheyAreWithCrLf() {
        Buffer encoded = new RespCodec().encode(List.of("+OK", "-ERR blocked"), true, UTF8);

        assertThat(encoded.toString(UTF8)).isEqualTo("+OK\r\n-ERR blocked\r\n");
    }

    static Stream<Arguments> errorReplies() {
        return Stream.of(
                Arguments.of("-ERR wrong", true),
                Arguments.of("-WRONGTYPE Operation against a key", true),
                Arguments.of("!21", true),
                Arguments.of("+OK", false),
                Arguments.of("$5", false),
                Arguments.of(":-1", false),
                Arguments.of("*2", false),
                // memcached-style and SMTP-style errors are not RESP errors
                Arguments.of("ERROR", false),
                Arguments.of("500 nope", false));
    }

    @ParameterizedTest(name = "{0} is an error: {1}")
    @MethodSource("errorReplies")
    void onlyRespErrorRepliesCountAsErrors(String reply, boolean error) {
        assertThat(new RespCodec().isError(reply)).isEqualTo(error);
    }

    // ---- helpers

    static Codec.Decoder commandDecoder() {
        return new RespCodec().decoder(false, MAX, UTF8);
    }

    static Codec.Decoder replyDecoder() {
        return new RespCodec().decoder(true, MAX, UTF8);
    }

    static List<Frame> decode(Codec.Decoder decoder, byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        decoder.decode(Buffer.buffer(bytes), frames::add);
        return frames;
    }

    static List<Frame> decodeByteByByte(Codec.Decoder decoder, byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        for (byte b : bytes) {
            decoder.decode(Buffer.buffer(new byte[] { b }), frames::add);
        }
        return frames;
    }

    static byte[] bytesOf(Frame frame) {
        return frame.bytes().getBytes();
    }

    static byte[] bytes(String text, byte... more) {
        return concat(text.getBytes(UTF8), more);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
