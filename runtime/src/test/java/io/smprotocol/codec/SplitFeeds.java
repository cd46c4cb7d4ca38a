package io.smprotocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/** Feeds a codec's decoder or scanner an input as two reads split at a given byte, as the codec tests do at every byte. */
final class SplitFeeds {

    private SplitFeeds() {
    }

    /** @return the frames the decoder made of the two reads */
    static List<Frame> frames(Codec.Decoder decoder, byte[] bytes, int split) {
        List<Frame> frames = new ArrayList<>();
        decoder.decode(Buffer.buffer(Arrays.copyOf(bytes, split)), frames::add);
        decoder.decode(Buffer.buffer(Arrays.copyOfRange(bytes, split, bytes.length)), frames::add);
        return frames;
    }

    /** @return the frames' bytes, one after the other */
    static byte[] joined(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            out.writeBytes(frame.bytes().getBytes());
        }
        return out.toByteArray();
    }

    /** @return each reply end the scanner found, as {offset in the whole input, 1 if an error} */
    static List<long[]> ends(Codec.ReplyScanner scanner, byte[] bytes, int split) {
        List<long[]> ends = new ArrayList<>();
        assertThat(scanner.scan(Buffer.buffer(Arrays.copyOf(bytes, split)),
                (end, error) -> ends.add(new long[] { end, error ? 1 : 0 }))).isTrue();
        assertThat(scanner.scan(Buffer.buffer(Arrays.copyOfRange(bytes, split, bytes.length)),
                (end, error) -> ends.add(new long[] { split + end, error ? 1 : 0 }))).isTrue();
        return ends;
    }
}
