package io.smprotocol.runtime.config;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;

/**
 * The lines a protocol sends without a hook. Each is sent followed by CR LF.
 */
@ConfigGroup
public interface RepliesConfig {

    /**
     * Sent for a line that no {@code @OnCommand} hook takes when the protocol has no {@code @OnLine} hook.
     */
    @WithDefault("500 Unknown command")
    String unknownCommand();

    /**
     * Sent when a hook fails and the protocol has no {@code @OnError} hook (or that hook failed too).
     */
    @WithDefault("451 Internal error")
    String error();

    /**
     * Sent for a line longer than {@code max-line-length}.
     */
    @WithDefault("500 Line too long")
    String lineTooLong();

    /**
     * Sent for a line ended by a bare CR or LF in {@code strict-crlf} mode.
     */
    @WithDefault("500 Bare CR or LF not allowed")
    String protocolError();

    /**
     * Sent, before closing, to a client over {@code max-connections} or {@code max-connections-per-ip}.
     */
    @WithDefault("421 Too many connections, try again later")
    String tooManyConnections();

    /**
     * Proxy mode: sent, before closing, to a client whose backend cannot be reached. Unset: the client is closed
     * without a line.
     */
    Optional<String> backendUnavailable();

    /**
     * Sent, before closing, when a codec cannot read what the client sent (for example a malformed RESP command).
     */
    @WithDefault("500 Protocol error")
    String codecError();
}
