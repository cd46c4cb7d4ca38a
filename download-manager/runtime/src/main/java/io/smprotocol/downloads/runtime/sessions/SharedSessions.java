package io.smprotocol.downloads.runtime.sessions;

import io.vertx.core.Future;

/**
 * A store of download ids shared by every replica and outliving the application (memcached or MongoDB). Each call
 * may fail (the store is unreachable or slow): {@link DownloadSessions} then keeps the id in memory.
 */
interface SharedSessions {

    /**
     * @param key the client and file
     * @param fresh the id to store when the client has none
     * @return the id the store holds for the key, its expiry pushed on by a window; or {@code fresh}, stored now; or
     *         the id another replica stored in between
     */
    Future<String> claim(ClientKey key, String fresh);

    /** Pushes the expiry of the key's id on by a window, if it still is {@code id}; its outcome is not waited for. */
    void touch(ClientKey key, String id);

    /** Logs, at most once a minute, that the store failed and ids are kept in memory. */
    void warn(String what, Throwable cause);
}
