package io.smprotocol.downloads.runtime.http;

import java.nio.file.Path;
import java.time.Duration;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.downloads.runtime.config.DownloadConfig;
import io.smprotocol.downloads.runtime.files.LocalFileCache;
import io.smprotocol.downloads.runtime.files.MemcachedFileCache;
import io.smprotocol.downloads.runtime.files.PathResolver;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.smprotocol.downloads.runtime.policy.MemcachedUniqueIpGuard;
import io.smprotocol.downloads.runtime.policy.MemoryUniqueIpGuard;
import io.smprotocol.downloads.runtime.policy.SignedLinks;
import io.smprotocol.downloads.runtime.policy.TrustedProxies;
import io.smprotocol.downloads.runtime.policy.UniqueIpGuard;
import io.smprotocol.downloads.runtime.sessions.DownloadSessions;
import io.vertx.core.Vertx;

/**
 * Turns the download listener's configuration into the {@link DownloadSettings} its handlers serve with, checking
 * each value that cannot work and naming its key. Read at every start, so that a restart applies a changed
 * configuration.
 */
final class DownloadSettingsReader {

    private DownloadSettingsReader() {
    }

    /**
     * @return the settings the configuration describes
     * @throws ConfigurationException naming the key of a value that cannot work
     */
    static DownloadSettings read(DownloadConfig config, Memcached memcached, Vertx vertx, DownloadSessions sessions) {
        DownloadConfig.SignedLinksConfig signed = config.signedLinks();
        SignedLinks signedLinks = null;
        if (signed.enabled()) {
            signedLinks = new SignedLinks(signed.secret().filter(s -> !s.isEmpty()).orElseThrow(
                    () -> new ConfigurationException("quarkus.smprotocol.download.signed-links.enabled is true but"
                            + " quarkus.smprotocol.download.signed-links.secret is not set")));
        }
        TrustedProxies trusted;
        try {
            trusted = config.trustedProxies().map(TrustedProxies::parse).orElse(TrustedProxies.none());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("quarkus.smprotocol.download.trusted-proxies: " + e.getMessage(), e);
        }
        MemoryUniqueIpGuard memoryGuard = new MemoryUniqueIpGuard();
        UniqueIpGuard guard = !config.uniqueIp() ? null
                : memcached.enabled() ? new MemcachedUniqueIpGuard(memcached, vertx, memoryGuard) : memoryGuard;
        MemcachedFileCache cache = memcached.enabled() && config.cache().enabled()
                ? new MemcachedFileCache(memcached, vertx, config.cache().maxSize().asLongValue(), config.cache().ttl())
                : null;
        LocalFileCache localCache = localCache(config.localCache());
        long blockSize = config.blockSize().asLongValue();
        if (blockSize <= 0 || blockSize > 16 * 1024 * 1024) {
            throw new ConfigurationException("quarkus.smprotocol.download.block-size must be between 1 and 16M");
        }
        long rate = config.rateLimit().asLongValue();
        Duration retryAfter = config.uniqueIpRetryAfter();
        return new DownloadSettings(new PathResolver(Path.of(config.root()), config.followSymlinks()), trusted,
                signedLinks, signed.required(), guard, Math.max(1, retryAfter.toSeconds()),
                sessions, cache, localCache, config.maxRanges(),
                (int) blockSize, rate, config.maxConnections(), config.idleTimeout().toMillis());
    }

    private static LocalFileCache localCache(DownloadConfig.LocalCacheConfig local) {
        if (local.ttl().isNegative()) {
            throw new ConfigurationException("quarkus.smprotocol.download.local-cache.ttl must not be negative, it is "
                    + local.ttl());
        }
        if (!local.enabled()) {
            return null;
        }
        if (local.maxSize().asLongValue() <= 0) {
            throw new ConfigurationException("quarkus.smprotocol.download.local-cache.max-size must be more than 0"
                    + " while local-cache.enabled is true, it is " + local.maxSize().asLongValue());
        }
        return new LocalFileCache(local.ttl(), local.maxSize().asLongValue());
    }
}
