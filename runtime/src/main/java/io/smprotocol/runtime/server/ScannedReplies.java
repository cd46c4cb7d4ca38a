package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * Whole replies for {@code @OnReply} hooks, framed by the codec's {@link Codec.ReplyScanner}: a reply of any nesting
 * depth or size is found where the scanner ends it. One up to {@code maxLength} bytes is one frame whose text is its
 * first line; a larger one goes on as it arrives, a first frame with that text and then frames without text, so that
 * at most {@code maxLength} bytes are held. Once the scanner no longer understands the bytes (a replication stream),
 * they go on without text, in order behind the replies before them.
 */
final class ScannedReplies implements Codec.Decoder {

    private final Codec.ReplyScanner scanner;
    private final int maxLength;
    private final Charset charset;
    /** The bytes of the reply being read from earlier reads, while it is held. */
    private Buffer held;
    /** The reply's first frame went on: its rest follows without text. */
    private boolean streaming;
    private boolean understood = true;

    ScannedReplies(Codec.ReplyScanner scanner, int maxLength, Charset charset) {
        this.scanner = scanner;
        this.maxLength = maxLength;
        this.charset = charset;
    }

    @Override
    public void decode(Buffer data, Consumer<Frame> frames) {
        if (!understood) {
            frames.accept(new Frame(data, null));
            return;
        }
        int[] from = { 0 };
        understood = scanner.scan(data, (end, error) -> {
            reply(data.slice(from[0], end), frames);
            from[0] = end;
        });
        if (from[0] < data.length()) {
            Buffer rest = from[0] == 0 ? data : data.slice(from[0], data.length());
            if (!understood) {
                frames.accept(new Frame(rest, null));
            } else {
                pending(rest, frames);
            }
        }
    }

    /** A reply ended in this read with these bytes. */
    private void reply(Buffer tail, Consumer<Frame> frames) {
        if (streaming) {
            frames.accept(new Frame(tail, null));
        } else {
            Buffer whole = held == null ? tail : held.appendBuffer(tail);
            frames.accept(new Frame(whole, firstLine(whole)));
        }
        held = null;
        streaming = false;
    }

    /** The read ended inside a reply: hold it while it fits, else pass it on. */
    private void pending(Buffer piece, Consumer<Frame> frames) {
        if (streaming) {
            frames.accept(new Frame(piece, null));
            return;
        }
        int heldLength = held == null ? 0 : held.length();
        if (heldLength + piece.length() <= maxLength) {
            held = (held == null ? Buffer.buffer(Math.min(maxLength, 2 * piece.length())) : held).appendBuffer(piece);
            return;
        }
        Buffer first = held == null ? piece : held.appendBuffer(piece);
        held = null;
        streaming = true;
        frames.accept(new Frame(first, firstLine(first)));
    }

    /** @return the reply's first line without its ending, at most {@code maxLength} bytes of it */
    private String firstLine(Buffer reply) {
        ByteBuf bytes = reply.getByteBuf();
        int start = bytes.readerIndex();
        int limit = Math.min(bytes.writerIndex(), start + maxLength);
        int lf = bytes.indexOf(start, limit, (byte) '\n');
        int end = lf < 0 ? limit : lf;
        if (end > start && bytes.getByte(end - 1) == '\r') {
            end--;
        }
        return bytes.toString(start, end - start, charset);
    }
}
