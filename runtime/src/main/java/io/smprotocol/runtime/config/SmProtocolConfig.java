package io.smprotocol.runtime.config;

import java.util.Map;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;

/**
 * SMProtocol runtime configuration.
 */
@ConfigMapping(prefix = "quarkus.smprotocol")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface SmProtocolConfig {

    /**
     * Whether a protocol that cannot bind its listener (port in use, address not available) fails the start of the
     * application. By default that protocol alone is marked failed, with a log line saying why, and the other
     * protocols start.
     */
    @WithDefault("false")
    boolean failOnBindError();

    /**
     * Whether SIGHUP restarts every protocol, as the original daemon did. Switch it off where something else uses
     * the signal.
     */
    @WithDefault("true")
    boolean sighupRestart();

    /**
     * Whether to log the SMProtocol banner at start.
     */
    @WithDefault("true")
    boolean banner();

    /**
     * Per-protocol settings, keyed by the name given in {@code @Protocol("NAME")}.
     */
    @WithDefaults
    Map<String, ProtocolConfig> protocols();
}
