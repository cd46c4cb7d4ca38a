package io.smprotocol.codec;

import java.nio.charset.Charset;
import java.util.List;
import java.util.function.Consumer;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * One command (or reply) per line, the default codec. A protocol that serves clients itself frames lines with its
 * {@code line-ending} policy and answers over-long lines with {@code replies.line-too-long}. A proxy frames with this
 * decoder: LF or CR LF ends a line, and a line longer than the maximum is passed on in pieces, unread by hooks (a
 * {@link Frame} without text), so that a large value never stops the traffic and never fills memory.
 */
public final class LineCodec implements Codec {

    @Override
    public Decoder decoder(boolean replies, int maxFrameLength, Charset charset) {
        return new Decoder() {
            private Consumer<Frame> sink;
            private final LineFramer framer = new LineFramer(LineEnding.LENIENT, maxFrameLength, charset, true, true,
                    new LineFramer.Listener() {
                        @Override
                        public void onLine(String line, Buffer raw) {
                            sink.accept(new Frame(raw, line));
                        }

                        @Override
                        public void onPassThrough(Buffer piece) {
                            sink.accept(new Frame(piece, null));
                        }
                    });

            @Override
            public void decode(Buffer data, Consumer<Frame> frames) {
                sink = frames;
                framer.feed(data);
            }
        };
    }

    @Override
    public ReplyScanner replyScanner() {
        return new LineReplyScanner(this);
    }

    @Override
    public Buffer encode(List<String> lines, boolean replies, Charset charset) {
        return crlfLines(lines, charset);
    }

    /** @return each line followed by CR LF, as line protocols take lines a hook sends both ways */
    static Buffer crlfLines(List<String> lines, Charset charset) {
        Buffer buffer = Buffer.buffer();
        for (String line : lines) {
            buffer.appendString(line, charset.name()).appendString("\r\n");
        }
        return buffer;
    }

}
