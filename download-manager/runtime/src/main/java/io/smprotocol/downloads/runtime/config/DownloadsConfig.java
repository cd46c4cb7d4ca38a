package io.smprotocol.downloads.runtime.config;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/**
 * The download manager's runtime configuration. It shares the {@code quarkus.smprotocol} prefix with the protocols'
 * configuration, so that the keys read the same whichever extension brings them.
 */
@ConfigMapping(prefix = "quarkus.smprotocol")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface DownloadsConfig {

    /**
     * The download manager.
     */
    DownloadConfig download();

    /**
     * memcached, for the download cache and the state shared by replicas.
     */
    MemcachedConfig memcached();

    /**
     * The name of this application instance in download records ({@code node}), so that the records of replicas can
     * be told apart. Unset: the host name ({@code HOSTNAME}, which is the pod name in Kubernetes), else
     * {@code localhost}.
     */
    Optional<String> nodeName();

    /**
     * Download tracking: every logical download recorded in MongoDB.
     */
    TrackingConfig tracking();

    /**
     * Geo and network information about download clients, from MaxMind databases.
     */
    GeoIpConfig geoip();

    /**
     * The operator's dashboard on the application's HTTP port.
     */
    DashboardConfig dashboard();

    /**
     * The in-process MongoDB used when no {@code quarkus.mongodb.connection-string} is set.
     */
    EmbeddedMongoConfig embeddedMongo();

    /**
     * @return whether downloads are tracked: tracking is enabled and so is the download listener it records; otherwise
     *         no MongoDB client is created and nothing is written
     */
    default boolean trackingActive() {
        return download().enabled() && tracking().enabled();
    }
}
