package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.smprotocol.codec.FrameHolder;
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
    /** The bytes of the reply being read: held while it fits, else passed on. */
    private final FrameHolder holder;
    private boolean understood = true;

    ScannedReplies(Codec.ReplyScanner scanner, int maxLength, Charset charset) {
        this.scanner = scanner;
        this.maxLength = maxLength;
        this.charset = charset;
        this.holder = new FrameHolder(maxLength);
    }

    @Override
    public void decode(Buffer data, Consumer<Frame> frames) {
        if (!understood) {
            frames.accept(new Frame(data, null));
            return;
        }
        int[] from = { 0 };
        understood = scanner.scan(data, (end, error) -> {
            holder.ended(data.slice(from[0], end), frames, this::firstLine);
            from[0] = end;
        });
        if (from[0] < data.length()) {
            Buffer rest = from[0] == 0 ? data : data.slice(from[0], data.length());
            if (!understood) {
                frames.accept(new Frame(rest, null));
            } else {
                holder.pending(rest, frames, this::firstLine);
            }
        }
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
