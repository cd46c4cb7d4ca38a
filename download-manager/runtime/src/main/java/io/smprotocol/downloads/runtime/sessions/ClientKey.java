package io.smprotocol.downloads.runtime.sessions;

/**
 * What groups requests into one logical download: the client's address and user agent, and the file's path and
 * entity tag, as {@link DownloadSessions} keys its download ids by it. A record of the request's own strings, whose hashes
 * those strings keep, rather than one string joined and hashed anew for
 * every request.
 *
 * @param ip the client's address
 * @param userAgent its {@code User-Agent}, empty when it sent none
 * @param path the file's request path
 * @param etag the file's entity tag
 */
public record ClientKey(String ip, String userAgent, String path, String etag) {

    /** @return the key, with an empty user agent for a client that sent none */
    public static ClientKey of(String ip, String userAgent, String path, String etag) {
        return new ClientKey(ip, userAgent == null ? "" : userAgent, path, etag);
    }
}
