package io.smprotocol.codec;

import io.netty.buffer.ByteBuf;

/**
 * The bytes of one read, as a scanner of a hot path reads them: from the backing array directly where there is
 * one (a {@link ByteBuf} checks bounds on every byte), else through the buffer. Released after each read, so that an
 * idle connection does not keep its last read reachable.
 */
final class ByteView {

    private byte[] array;
    private int arrayOffset;
    private ByteBuf buffer;

    void view(ByteBuf bytes) {
        buffer = bytes;
        if (bytes.hasArray()) {
            array = bytes.array();
            arrayOffset = bytes.arrayOffset();
        } else {
            array = null;
        }
    }

    void release() {
        buffer = null;
        array = null;
    }

    byte at(int index) {
        return array != null ? array[arrayOffset + index] : buffer.getByte(index);
    }
}
