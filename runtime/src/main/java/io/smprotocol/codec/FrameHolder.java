package io.smprotocol.codec;

import java.util.function.Consumer;
import java.util.function.Function;

import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * The bytes of one frame that arrive over several reads, for a decoder that frames as bytes come: held while the
 * frame fits in {@code maxLength}, so that it becomes one frame with its text, else passed on at once in pieces (a
 * first frame with the text, then frames without), so that memory stays bounded whatever the frame's size. One per
 * direction of a connection, confined to its event loop.
 */
public final class FrameHolder {

    private final int maxLength;
    private Buffer held;
    private boolean streaming;

    /** @param maxLength the most bytes of a frame held */
    public FrameHolder(int maxLength) {
        this.maxLength = maxLength;
    }

    /** @return the bytes held of the frame being read, with {@code more} after them */
    public int lengthWith(Buffer more) {
        return (held == null ? 0 : held.length()) + more.length();
    }

    /** @return whether the frame being read is too large to hold and goes on in pieces */
    public boolean streaming() {
        return streaming;
    }

    /**
     * A read ended inside the frame: its bytes are held while the frame fits, else passed on.
     *
     * @param piece the frame's bytes in this read
     * @param frames receives what goes on
     * @param textOf the text of the frame's first piece, from its bytes so far
     */
    public void pending(Buffer piece, Consumer<Frame> frames, Function<Buffer, String> textOf) {
        if (streaming) {
            frames.accept(new Frame(piece, null));
            return;
        }
        if (lengthWith(piece) <= maxLength) {
            held = (held == null ? Buffer.buffer(Math.min(maxLength, 2 * piece.length())) : held).appendBuffer(piece);
            return;
        }
        Buffer first = held == null ? piece : held.appendBuffer(piece);
        held = null;
        streaming = true;
        frames.accept(new Frame(first, textOf.apply(first)));
    }

    /**
     * The frame ended in this read: it goes on whole, or its last piece does; the holder is ready for the next.
     *
     * @param tail the frame's bytes in this read
     * @param frames receives what goes on
     * @param textOf the text of the whole frame, from its bytes
     */
    public void ended(Buffer tail, Consumer<Frame> frames, Function<Buffer, String> textOf) {
        if (streaming) {
            frames.accept(new Frame(tail, null));
        } else {
            Buffer whole = held == null ? tail : held.appendBuffer(tail);
            frames.accept(new Frame(whole, textOf.apply(whole)));
        }
        held = null;
        streaming = false;
    }
}
