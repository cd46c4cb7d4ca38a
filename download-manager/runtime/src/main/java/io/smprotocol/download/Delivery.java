package io.smprotocol.download;

/**
 * How a response body goes out.
 */
public enum Delivery {
    /** No body: HEAD, 304, errors. */
    NONE,
    /** Zero-copy {@code sendfile} of one range of the file: nothing throttles the response. */
    SENDFILE,
    /** Read from disk with the async file API and written in blocks: throttled or multipart responses. */
    DISK_BLOCKS,
    /** From the memcached copy, written in blocks. */
    CACHE,
    /** A small file read whole with its lookup, written from memory. */
    MEMORY
}
