package io.smprotocol.downloads.runtime.memcached;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * Stores values as the bytes given, flag 0: no Java serialization and no compression (spymemcached's default
 * transcoder gzips values over 16 KiB, which costs CPU on its I/O thread and buys nothing for already compressed
 * downloads). Other clients can read the values too.
 */
final class RawBytesTranscoder implements Transcoder<byte[]> {

    private final int maxSize;

    RawBytesTranscoder(int maxSize) {
        this.maxSize = maxSize;
    }

    @Override
    public boolean asyncDecode(CachedData data) {
        return false;
    }

    @Override
    public CachedData encode(byte[] value) {
        return new CachedData(0, value, maxSize);
    }

    @Override
    public byte[] decode(CachedData data) {
        return data.getData();
    }

    @Override
    public int getMaxSize() {
        return maxSize;
    }
}
