package io.smprotocol.runtime.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;

/**
 * Proxy mode: the backend every client connection of the protocol is forwarded to.
 */
@ConfigGroup
public interface ForwardConfig {

    /**
     * The backend's host. Setting it (with {@code port}) makes the protocol a transparent proxy: each client
     * connection gets its own backend connection, and hooks see the traffic of both directions.
     */
    Optional<String> host();

    /**
     * The backend's port.
     */
    OptionalInt port();

    /**
     * How long to wait for the backend to accept a connection before the client gets
     * {@code replies.backend-unavailable}.
     */
    @WithDefault("5S")
    Duration connectTimeout();
}
