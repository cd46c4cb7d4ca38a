package io.smprotocol.downloads.runtime.config;

/** How client addresses are stored ({@code quarkus.smprotocol.tracking.client-address}). */
public enum ClientAddressMode {
    /** As the client had it. */
    FULL,
    /** IPv4 to its /24 ({@code 203.0.113.0}), IPv6 to its /48. */
    TRUNCATED,
    /** A keyed hash (HMAC-SHA256 with {@code client-address-key}): one client stays one value, unreadable. */
    HASHED
}
