package io.smprotocol.downloads.runtime.policy;

import java.util.Optional;

import io.vertx.core.Future;

/**
 * One concurrent download per client address and file ({@code unique-ip}). A request that gets no lease is answered
 * with 503 and {@code Retry-After}; the download holding the lease goes on untouched.
 */
public interface UniqueIpGuard {

    /** The right to send one file to one address; released when the response ends, however it ends. */
    interface Lease {
        /** Gives the right back; calling it again does nothing. */
        void release();
    }

    /**
     * @param ip the client's address
     * @param path the file's request path
     * @return a lease, or empty when another download of that file to that address is running
     */
    Future<Optional<Lease>> tryAcquire(String ip, String path);
}
