package io.smprotocol.runtime.config;

import java.time.Duration;

/**
 * The configuration keys of one protocol, for the places that name them in messages or read them before the
 * configuration mapping exists (build steps).
 */
public final class ProtocolKeys {

    /** {@link ProtocolConfig#drainTimeout()}'s default. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private ProtocolKeys() {
    }

    /**
     * @param protocol a protocol's name
     * @return the prefix of its keys, {@code quarkus.smprotocol.protocols.NAME}, with the name quoted where it
     *         holds a dot
     */
    public static String prefix(String protocol) {
        return "quarkus.smprotocol.protocols." + (protocol.contains(".") ? "\"" + protocol + "\"" : protocol);
    }
}
