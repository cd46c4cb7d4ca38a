package io.smprotocol.runtime.server;

/**
 * Where one listener of the application is configured to listen, for the check that no two share an address.
 *
 * @param listener what listens, as an operator reads it: {@code protocol 'smtp'}, {@code the download listener}
 * @param key the configuration key of its port, named in the error
 * @param host the configured host
 * @param port the configured port; {@code 0} picks a free one and never conflicts
 */
public record ListenerAddress(String listener, String key, String host, int port) {
}
