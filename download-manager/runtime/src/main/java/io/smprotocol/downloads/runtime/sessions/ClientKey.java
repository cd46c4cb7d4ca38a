package io.smprotocol.downloads.runtime.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /** @return a SHA-256 digest of the four parts, in hex: names the key in a shared store without its address */
    public String digest() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] separator = { 0 };
            digest.update(ip.getBytes(StandardCharsets.UTF_8));
            digest.update(separator);
            digest.update(userAgent.getBytes(StandardCharsets.UTF_8));
            digest.update(separator);
            digest.update(path.getBytes(StandardCharsets.UTF_8));
            digest.update(separator);
            return HexFormat.of().formatHex(digest.digest(etag.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
