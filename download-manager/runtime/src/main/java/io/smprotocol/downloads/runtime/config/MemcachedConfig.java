package io.smprotocol.downloads.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;

/**
 * The memcached servers that hold the download cache and the state shared by replicas.
 */
@ConfigGroup
public interface MemcachedConfig {

    /**
     * The memcached servers, as {@code host:port} (e.g. {@code 127.0.0.1:11211}). Unset: no memcached; the download
     * manager keeps its state in memory and caches nothing.
     */
    Optional<List<String>> servers();

    /**
     * How long one memcached operation may take. A slower or unreachable memcached is bypassed: files are served from
     * disk and state is kept in memory, with a warning in the log.
     */
    @WithDefault("500MS")
    Duration operationTimeout();

    /**
     * The prefix of every key this application writes, so that several applications can share servers.
     */
    @WithDefault("smp:")
    String keyPrefix();

    /**
     * The least time between two warnings about memcached being unreachable or slow, so that an outage does not
     * flood the log.
     */
    @WithDefault("60S")
    Duration warningInterval();
}
