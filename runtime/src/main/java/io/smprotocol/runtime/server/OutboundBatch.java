package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * What a connection queued for one peer since it last wrote to it, in order: bytes passed on as they came, and
 * lines it encodes itself. It becomes one buffer per write.
 * <p>
 * A pipelining peer's commands or replies arrive together in one read, and the frames decoded from it are views of
 * that read, one after the other: such bytes are joined back into one run instead of becoming a buffer each. Lines
 * go into one pooled direct buffer per batch, which the socket takes without a copy. Confined to the connection's
 * event loop.
 */
final class OutboundBatch {

    /** Buffers one batch holds before Netty consolidates them. */
    private static final int MAX_COMPONENTS = 64;
    /** The first size of the buffer lines are encoded into; it grows as a pipelining client needs. */
    private static final int TEXT_CAPACITY = 256;

    private final ByteBufAllocator allocator;
    private CompositeByteBuf parts;
    private ByteBuf text;
    /** The run of bytes being joined: a region of one array, or none. */
    private byte[] runArray;
    private int runStart;
    private int runEnd;

    /** @param allocator the socket's allocator, for the lines' buffer */
    OutboundBatch(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Queues bytes to pass on; they must not change until the batch is written. */
    void raw(Buffer buffer) {
        sealText();
        ByteBuf bytes = buffer.getByteBuf();
        if (!bytes.hasArray()) {
            sealRun();
            add(bytes);
            return;
        }
        int start = bytes.arrayOffset() + bytes.readerIndex();
        if (runArray == bytes.array() && runEnd == start) {
            // the bytes right after the run, in the same array: the next frame of the same read
            runEnd += bytes.readableBytes();
            return;
        }
        sealRun();
        runArray = bytes.array();
        runStart = start;
        runEnd = start + bytes.readableBytes();
    }

    /**
     * Queues lines, each ended with CR LF.
     *
     * @return the bytes they took
     */
    int lines(List<String> lines, Charset charset) {
        sealRun();
        if (text == null) {
            text = allocator.directBuffer(TEXT_CAPACITY);
        }
        int before = text.writerIndex();
        for (int i = 0; i < lines.size(); i++) {
            text.writeCharSequence(lines.get(i), charset);
            text.writeByte('\r').writeByte('\n');
        }
        return text.writerIndex() - before;
    }

    /** @return everything queued as one buffer, which the caller now owns and must write or release; or null */
    ByteBuf take() {
        if (parts == null) {
            // the usual case: only lines, or only one run
            if (text != null) {
                ByteBuf taken = text;
                text = null;
                return taken;
            }
            if (runArray != null) {
                ByteBuf taken = Unpooled.wrappedBuffer(runArray, runStart, runEnd - runStart);
                runArray = null;
                return taken;
            }
            return null;
        }
        sealText();
        sealRun();
        ByteBuf taken = parts;
        parts = null;
        return taken;
    }

    private void sealText() {
        if (text != null) {
            ByteBuf sealed = text;
            text = null;
            add(sealed);
        }
    }

    private void sealRun() {
        if (runArray != null) {
            byte[] array = runArray;
            runArray = null;
            add(Unpooled.wrappedBuffer(array, runStart, runEnd - runStart));
        }
    }

    private void add(ByteBuf bytes) {
        if (parts == null) {
            parts = Unpooled.compositeBuffer(MAX_COMPONENTS);
        }
        parts.addComponent(true, bytes);
    }
}
