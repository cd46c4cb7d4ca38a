package io.smprotocol.downloads.runtime.http;

import io.smprotocol.downloads.runtime.files.LocalFileCache;
import io.smprotocol.downloads.runtime.files.MemcachedFileCache;
import io.smprotocol.downloads.runtime.files.PathResolver;
import io.smprotocol.downloads.runtime.policy.SignedLinks;
import io.smprotocol.downloads.runtime.policy.TrustedProxies;
import io.smprotocol.downloads.runtime.policy.UniqueIpGuard;
import io.smprotocol.downloads.runtime.sessions.DownloadSessions;

/**
 * The download listener's configuration, checked and turned into the objects requests use.
 *
 * @param resolver finds files under the root
 * @param trustedProxies whose forwarding headers are believed
 * @param signedLinks the link signer, or {@code null} when links are not checked
 * @param signaturesRequired whether an unsigned request is refused
 * @param uniqueIp the unique-ip guard, or {@code null} when off
 * @param retryAfterSeconds the {@code Retry-After} of a 503
 * @param sessions groups requests into logical downloads
 * @param cache the memcached file cache, or {@code null}
 * @param localCache small files kept in this process's memory, or {@code null} when off
 * @param maxRanges the most ranges a request may ask for, 0 for no range support
 * @param blockSize the write unit of block-written responses
 * @param rateLimit bytes per second per connection, 0 for unthrottled
 * @param maxConnections the most open connections, 0 for no limit
 * @param idleTimeoutMillis the idle timeout, 0 for none
 */
record DownloadSettings(PathResolver resolver, TrustedProxies trustedProxies, SignedLinks signedLinks,
        boolean signaturesRequired, UniqueIpGuard uniqueIp, long retryAfterSeconds, DownloadSessions sessions,
        MemcachedFileCache cache, LocalFileCache localCache, int maxRanges, int blockSize, long rateLimit,
        int maxConnections, long idleTimeoutMillis) {
}
