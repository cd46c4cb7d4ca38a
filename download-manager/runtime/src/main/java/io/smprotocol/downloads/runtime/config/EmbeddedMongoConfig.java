package io.smprotocol.downloads.runtime.config;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;

/**
 * The MongoDB started in-process (mongo-java-server with its H2 file backend) when no
 * {@code quarkus.mongodb.connection-string} and no {@code quarkus.mongodb.hosts} are set, so that an application
 * needs no database server to track downloads.
 */
@ConfigGroup
public interface EmbeddedMongoConfig {

    /**
     * Whether to start the embedded MongoDB when no connection string is set. Off: the MongoDB client uses its own
     * defaults.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The folder of the embedded MongoDB's data file ({@code mongo.mv}); it keeps the records across restarts. Only
     * one process may use it at a time.
     */
    @WithDefault("smprotocol-data")
    String dataDir();
}
