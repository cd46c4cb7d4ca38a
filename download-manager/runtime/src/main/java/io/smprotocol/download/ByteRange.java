package io.smprotocol.download;

/**
 * One satisfiable byte range of a file, both ends inclusive as in {@code Content-Range}.
 *
 * @param first the offset of the first byte
 * @param last the offset of the last byte, at least {@code first}
 */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
    }

    /** @return how many bytes the range holds */
    public long length() {
        return last - first + 1;
    }

    /**
     * @param completeLength the file's size
     * @return the {@code Content-Range} value for this range, e.g. {@code bytes 0-499/1234}
     */
    public String contentRange(long completeLength) {
        return "bytes " + first + "-" + last + "/" + completeLength;
    }
}
