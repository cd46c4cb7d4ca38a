package io.smprotocol.runtime.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.CloseReason;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.config.SmProtocolConfig;
import io.smprotocol.runtime.hook.ProtocolDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Owns every protocol's listener: starts them at application start, stops them at shutdown, and tells their state.
 */
@Singleton
public class ProtocolManager {

    private static final Logger LOG = Logger.getLogger("io.smprotocol");
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final SmProtocolConfig config;
    private final Map<String, ProtocolServer> servers = Collections.synchronizedMap(new LinkedHashMap<>());

    @Inject
    public ProtocolManager(Vertx vertx, SmProtocolConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    /**
     * Starts the listeners of the enabled protocols. A protocol that cannot bind is marked failed and the others
     * start, unless {@code quarkus.smprotocol.fail-on-bind-error} is set.
     *
     * @param definitions the protocols found at build time
     */
    public void start(List<ProtocolDefinition> definitions) {
        if (config.banner()) {
            Banner.log(LOG);
        }
        List<ProtocolServer> toStart = new ArrayList<>();
        for (ProtocolDefinition definition : definitions) {
            ProtocolConfig protocolConfig = config.protocols().get(definition.name());
            if (protocolConfig.enabled() && protocolConfig.port().isEmpty()) {
                throw new ConfigurationException("Protocol '" + definition.name() + "' (" + definition.beanClass()
                        + ") has no port: set quarkus.smprotocol.protocols.\"" + definition.name() + "\".port");
            }
            ProtocolServer server = new ProtocolServer(definition, protocolConfig, vertx);
            servers.put(definition.name(), server);
            if (protocolConfig.enabled()) {
                toStart.add(server);
            } else {
                LOG.infof("[%s] Disabled by configuration", definition.name());
            }
        }
        List<Future<Void>> started = toStart.stream().map(ProtocolServer::start).toList();
        for (int i = 0; i < started.size(); i++) {
            ProtocolServer server = toStart.get(i);
            try {
                await(started.get(i), BIND_TIMEOUT);
            } catch (RuntimeException e) {
                String reason = "[" + server.name() + "] cannot listen on " + server.host() + ":"
                        + config.protocols().get(server.name()).port().orElse(-1) + ": " + server.failure();
                if (config.failOnBindError()) {
                    throw new IllegalStateException(reason + " (quarkus.smprotocol.fail-on-bind-error=true)", e);
                }
                LOG.error(reason + "; the other protocols go on");
            }
        }
    }

    /**
     * Closes every connection with {@link CloseReason#SERVER_SHUTDOWN}, letting close hooks run within each
     * protocol's drain timeout, and stops the listeners.
     */
    public void shutdown() {
        List<ProtocolServer> all = new ArrayList<>(servers.values());
        List<Future<Void>> stopped = all.stream().map(server -> server.stop(CloseReason.SERVER_SHUTDOWN)).toList();
        for (int i = 0; i < stopped.size(); i++) {
            Duration drain = config.protocols().get(all.get(i).name()).drainTimeout();
            try {
                await(stopped.get(i), drain);
            } catch (RuntimeException e) {
                LOG.warnf("[%s] did not stop within %s: %s", all.get(i).name(), drain, e.getMessage());
            }
        }
    }

    /** @return every protocol, in the order they were found */
    public Collection<ProtocolServer> protocols() {
        synchronized (servers) {
            return List.copyOf(servers.values());
        }
    }

    /**
     * @param name a protocol's name
     * @return that protocol, if the application has it
     */
    public Optional<ProtocolServer> protocol(String name) {
        return Optional.ofNullable(servers.get(name));
    }

    private static void await(Future<Void> future, Duration timeout) {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
