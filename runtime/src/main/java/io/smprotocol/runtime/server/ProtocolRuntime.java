package io.smprotocol.runtime.server;

import java.nio.charset.Charset;

import io.smprotocol.Codec;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.vertx.core.net.NetClient;

/**
 * What a protocol's connections run with, as one immutable value: its hooks, configuration, charset, codec, backend
 * client and metrics. A dev-mode reload makes a new one and swaps it in with one write, so a connection that reads it
 * at a step boundary never mixes new hooks with old configuration.
 *
 * @param hooks the hooks, indexed
 * @param config the protocol's configuration
 * @param charset {@code config.charset()}, resolved
 * @param codec the codec
 * @param backendClient the client of the backend, or {@code null} when the protocol does not proxy
 * @param metrics where the protocol's metrics go
 */
record ProtocolRuntime(ProtocolHooks hooks, ProtocolConfig config, Charset charset, Codec codec,
        NetClient backendClient, ProtocolMetrics metrics) {
}
