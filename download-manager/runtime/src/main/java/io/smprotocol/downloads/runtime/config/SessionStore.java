package io.smprotocol.downloads.runtime.config;

/**
 * Where the download ids that group requests into logical downloads are kept
 * ({@code quarkus.smprotocol.download.session-store}).
 */
public enum SessionStore {
    /** memcached when {@code quarkus.smprotocol.memcached.servers} is set, else the memory of each replica. */
    AUTO,
    /** Each replica's memory: a client's requests that reach another replica start a download there. */
    MEMORY,
    /** memcached, shared by every replica: one atomic {@code add} per new download, a {@code get} per request. */
    MEMCACHED,
    /**
     * The tracking MongoDB ({@code download_sessions}), shared by every replica that writes to the same database: for
     * replicas without memcached. A request of a download costs a round trip to MongoDB on a worker thread.
     */
    MONGODB
}
