package io.smprotocol.runtime.tracking;

import io.smprotocol.runtime.download.DownloadRequest;

/**
 * What groups requests into one logical download: the client's address and user agent, and the file's path and
 * entity tag. A record of the request's own strings, whose hashes those strings keep, rather than one string joined
 * and hashed anew for every request.
 *
 * @param ip the client's address
 * @param userAgent its {@code User-Agent}, empty when it sent none
 * @param path the file's request path
 * @param etag the file's entity tag
 */
record ClientKey(String ip, String userAgent, String path, String etag) {

    static ClientKey of(DownloadRequest request) {
        return new ClientKey(request.client().ip(), request.userAgent() == null ? "" : request.userAgent(),
                request.file().path(), request.file().etag());
    }
}
