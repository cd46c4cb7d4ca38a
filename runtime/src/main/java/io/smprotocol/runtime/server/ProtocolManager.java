package io.smprotocol.runtime.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.CloseReason;
import io.smprotocol.CommandCount;
import io.smprotocol.ListenerState;
import io.smprotocol.ListenerStatus;
import io.smprotocol.Listeners;
import io.smprotocol.UnknownListenerException;
import io.smprotocol.runtime.config.ConfigReader;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.config.SmProtocolConfig;
import io.smprotocol.runtime.devmode.HotReplacementTrigger;
import io.smprotocol.runtime.hook.ProtocolDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Owns every protocol's listener: starts them at application start, stops them at shutdown, and tells their state.
 */
@Singleton
public class ProtocolManager implements Listeners {

    private static final Logger LOG = Logger.getLogger("io.smprotocol");
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final SmProtocolConfig config;
    /** Reads the configuration again for restarts; made at start, on a thread that finds the application's. */
    private volatile ConfigReader configReader;
    /** Filled once at start, then only read. */
    private volatile Map<String, ProtocolServer> servers = Map.of();
    /** Listeners other than protocols: the download manager's. */
    private final List<ManagedListener> others = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ProtocolMetrics.Factory metricsFactory = listener -> ProtocolMetrics.NONE;

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
     * @param metricsFactory creates each protocol's metrics
     */
    public void start(List<ProtocolDefinition> definitions, ProtocolMetrics.Factory metricsFactory) {
        configReader = ConfigReader.ofApplication();
        this.metricsFactory = metricsFactory;
        if (config.banner()) {
            Banner.log(LOG);
        }
        Map<String, ProtocolServer> created = new LinkedHashMap<>();
        List<ProtocolServer> toStart = new ArrayList<>();
        for (ProtocolDefinition definition : definitions) {
            ProtocolConfig protocolConfig = config.protocols().get(definition.name());
            if (protocolConfig.enabled() && protocolConfig.port().isEmpty()) {
                throw new ConfigurationException("Protocol '" + definition.name() + "' (" + definition.beanClass()
                        + ") has no port: set " + key(definition.name()) + ".port");
            }
            if (protocolConfig.eventLoops().isPresent() && protocolConfig.eventLoops().getAsInt() < 1) {
                throw new ConfigurationException(key(definition.name()) + ".event-loops must be at least 1, not "
                        + protocolConfig.eventLoops().getAsInt());
            }
            ProtocolServer kept = HotReplacementTrigger.active() ? DevModeListeners.take(definition.name()) : null;
            if (kept != null && keepsListening(kept, protocolConfig)) {
                kept.adopt(definition, protocolConfig, metricsFactory, configReader);
                created.put(definition.name(), kept);
                continue;
            }
            if (kept != null) {
                kept.stopNow(CloseReason.SERVER_RESTART);
            }
            ProtocolServer server = new ProtocolServer(definition, protocolConfig, vertx, metricsFactory, configReader);
            created.put(definition.name(), server);
            if (protocolConfig.enabled()) {
                toStart.add(server);
            } else {
                LOG.infof("[%s] Disabled by configuration", definition.name());
            }
        }
        // a protocol whose class was removed in dev mode stops listening
        DevModeListeners.takeRest().forEach(gone -> gone.stopNow(CloseReason.SERVER_SHUTDOWN));
        servers = Collections.unmodifiableMap(created);
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
                // the protocol logged why it failed; it stays FAILED until restarted
                LOG.infof("[%s] failed to start; the other protocols go on", server.name());
            }
        }
    }

    /**
     * Closes every connection with {@link CloseReason#SERVER_SHUTDOWN}, letting close hooks run within each
     * protocol's drain timeout, and stops the listeners.
     */
    public void shutdown() {
        if (HotReplacementTrigger.active()) {
            HotReplacementTrigger.whenDevModeEnds(DevModeListeners.CLOSE_ALL);
            // a dev-mode restart: listeners and connections stay, the next application takes them over
            protocols().stream().filter(server -> server.state() == ListenerState.RUNNING)
                    .forEach(DevModeListeners::keep);
            return;
        }
        List<ProtocolServer> all = new ArrayList<>(servers.values());
        List<Future<Void>> stopped = all.stream().map(server -> server.stop(CloseReason.SERVER_SHUTDOWN)).toList();
        for (int i = 0; i < stopped.size(); i++) {
            // draining may take the drain timeout twice: once for connections to finish, once for close hooks
            Duration drain = config.protocols().get(all.get(i).name()).drainTimeout().multipliedBy(2)
                    .plusSeconds(1);
            try {
                await(stopped.get(i), drain);
            } catch (RuntimeException e) {
                LOG.warnf("[%s] did not stop within %s: %s", all.get(i).name(), drain, e.getMessage());
            }
        }
    }

    /**
     * Adds a listener that is not a protocol (the download manager's) to what operators see and restart.
     *
     * @param listener the listener
     * @return its metrics
     */
    public ProtocolMetrics register(ManagedListener listener) {
        others.add(listener);
        return metricsFactory.create(listener);
    }

    /** @return every listener: the protocols in the order they were found, then the download manager's */
    public List<ManagedListener> listeners() {
        List<ManagedListener> all = new ArrayList<>(servers.values());
        all.addAll(others);
        return all;
    }

    @Override
    public List<ListenerStatus> statuses() {
        return listeners().stream().map(ProtocolManager::status).toList();
    }

    @Override
    public ListenerStatus status(String name) {
        return status(server(name));
    }

    @Override
    public List<CommandCount> commands(String name) {
        return server(name).statistics().snapshot();
    }

    @Override
    public CompletionStage<ListenerStatus> restart(String name) {
        ManagedListener server = server(name);
        return withStatus(server, server.restart());
    }

    @Override
    public CompletionStage<ListenerStatus> stop(String name) {
        ManagedListener server = server(name);
        return withStatus(server, server.stop(CloseReason.SERVER_RESTART));
    }

    @Override
    public CompletionStage<ListenerStatus> start(String name) {
        ManagedListener server = server(name);
        if (server.state() == ListenerState.RUNNING || server.state() == ListenerState.STARTING) {
            return CompletableFuture.completedFuture(status(server));
        }
        return withStatus(server, server.restart());
    }

    @Override
    public CompletionStage<List<ListenerStatus>> restartAll() {
        LOG.info("Restarting every protocol");
        SmProtocolConfig fresh = configReader.current(SmProtocolConfig.class, config);
        List<Future<Void>> restarts = new ArrayList<>();
        for (ProtocolServer server : protocols()) {
            ProtocolConfig protocolConfig = fresh.protocols().get(server.name());
            if (protocolConfig.enabled()) {
                restarts.add(server.restart(protocolConfig));
            }
        }
        for (ManagedListener other : others) {
            restarts.add(other.restart());
        }
        return Future.join(restarts).map(ignored -> statuses()).toCompletionStage();
    }

    /** @return the configuration prefix of a protocol, quoting its name only where it must be */
    private static String key(String name) {
        return "quarkus.smprotocol.protocols." + (name.contains(".") ? "\"" + name + "\"" : name);
    }

    private boolean keepsListening(ProtocolServer kept, ProtocolConfig config) {
        return kept.state() == ListenerState.RUNNING && config.enabled() && kept.host().equals(config.host())
                && (config.port().orElse(-1) == 0 || config.port().orElse(-1) == kept.port())
                && kept.eventLoops() == ProtocolServer.eventLoops(config, vertx);
    }

    private CompletionStage<ListenerStatus> withStatus(ManagedListener server, Future<Void> operation) {
        return operation.map(ignored -> status(server)).toCompletionStage();
    }

    /**
     * @param name a listener's name
     * @return that listener
     * @throws UnknownListenerException when the application has no such listener
     */
    public ManagedListener listener(String name) {
        return server(name);
    }

    private ManagedListener server(String name) {
        return listeners().stream().filter(listener -> listener.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownListenerException(name,
                        listeners().stream().map(ManagedListener::name).toList()));
    }

    private static ListenerStatus status(ManagedListener server) {
        return new ListenerStatus(server.name(), server.state(), server.host(), server.port(),
                server.openConnections(), server.acceptedConnections(), server.refusedConnections(),
                server.linesReceived(), server.failure(), server.startedAt(), server.starts());
    }

    /** @return every protocol, in the order they were found */
    public Collection<ProtocolServer> protocols() {
        return servers.values();
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
