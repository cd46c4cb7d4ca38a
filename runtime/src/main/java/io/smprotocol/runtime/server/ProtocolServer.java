package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.smprotocol.CloseReason;
import io.smprotocol.ListenerState;
import io.smprotocol.Session;
import io.smprotocol.runtime.config.ConfigReader;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.config.SmProtocolConfig;
import io.smprotocol.runtime.hook.ProtocolDefinition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One protocol's listener: a Vert.x {@code NetServer} bound on every event loop, its connections and its limits.
 */
public final class ProtocolServer extends AbstractManagedListener {

    private volatile ProtocolDefinition definition;
    /** What connections run with; replaced whole, never changed. */
    private volatile ProtocolRuntime runtime;
    /**
     * Backend clients a reload replaced. Closing a Vert.x client closes its sockets, which connections kept across
     * the reload still use: they are closed when the protocol stops, which closes those connections anyway.
     */
    private final List<NetClient> retiredClients = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private final Logger log;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** The open connections as hooks see them: a live, read-only view. */
    private final Collection<Session> openSessions = new AbstractCollection<>() {
        @Override
        public Iterator<Session> iterator() {
            Iterator<Connection> open = connections.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return open.hasNext();
                }

                @Override
                public Session next() {
                    return open.next().session();
                }
            };
        }

        @Override
        public int size() {
            return connections.size();
        }
    };
    private final ConnectionLimits limits = new ConnectionLimits();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final List<EventLoopListener> listeners = new ArrayList<>();

    private final CommandStatistics statistics = new CommandStatistics();
    private final AtomicLong backendFailures = new AtomicLong();
    private final AtomicLong passThroughs = new AtomicLong();
    private volatile ConfigReader configReader;

    ProtocolServer(ProtocolDefinition definition, ProtocolConfig config, Vertx vertx,
            ProtocolMetrics.Factory metricsFactory, ConfigReader configReader) {
        this.configReader = configReader;
        this.definition = definition;
        this.vertx = vertx;
        this.log = Logger.getLogger("io.smprotocol.protocol." + definition.name());
        this.runtime = runtime(definition, config, ProtocolMetrics.NONE);
        this.runtime = withMetrics(metricsFactory.create(this));
    }

    /**
     * Takes the hooks, configuration and metrics of a new application while listening on: a dev-mode restart keeps
     * the listener and its connections. Settings that concern the listening socket itself (host, port, backlog)
     * take effect at the next restart of the protocol.
     */
    void adopt(ProtocolDefinition newDefinition, ProtocolConfig newConfig, ProtocolMetrics.Factory metricsFactory,
            ConfigReader newConfigReader) {
        this.configReader = newConfigReader;
        this.definition = newDefinition;
        ProtocolRuntime next = runtime(newDefinition, newConfig, runtime.metrics());
        this.runtime = next;
        this.runtime = withMetrics(metricsFactory.create(this));
        log.infof("[%s] Hooks reloaded (%d hooks, %s)", name(), newDefinition.hooks().size(), newDefinition.beanClass());
    }

    /** Stops without waiting for the drain to finish. */
    public void stopNow(CloseReason reason) {
        stop(reason);
    }

    /**
     * @return the runtime for this definition and configuration; the backend client stays the one in use when its
     *         settings did not change, and is retired, not closed, when they did
     */
    private ProtocolRuntime runtime(ProtocolDefinition definition, ProtocolConfig config, ProtocolMetrics metrics) {
        ProtocolRuntime current = runtime;
        NetClient client = null;
        if (config.proxies()) {
            boolean same = current != null && current.backendClient() != null
                    && current.config().forward().connectTimeout().equals(config.forward().connectTimeout());
            client = same ? current.backendClient()
                    : vertx.createNetClient(new NetClientOptions()
                            .setConnectTimeout(Math.toIntExact(config.forward().connectTimeout().toMillis()))
                            .setTcpNoDelay(true));
        }
        if (current != null && current.backendClient() != null && current.backendClient() != client) {
            retiredClients.add(current.backendClient());
        }
        return new ProtocolRuntime(new ProtocolHooks(definition), config, Charset.forName(config.charset()),
                definition.codec().getValue(), client, metrics);
    }

    private ProtocolRuntime withMetrics(ProtocolMetrics metrics) {
        ProtocolRuntime r = runtime;
        return new ProtocolRuntime(r.hooks(), r.config(), r.charset(), r.codec(), r.backendClient(), metrics);
    }

    /** Closes the backend clients reloads replaced: no connection that used them is left. */
    private void closeRetiredClients() {
        for (NetClient client : retiredClients) {
            retiredClients.remove(client);
            client.close();
        }
    }

    /**
     * Binds the listener on every event loop, all sharing one listening socket (see {@link RandomPorts} for port 0).
     *
     * @return completes when listening, fails with the reason it could not bind
     */
    Future<Void> start() {
        state = ListenerState.STARTING;
        failure = null;
        log.infof("[%s] Starting...", name());
        int configured = config().port().orElseThrow();
        int port = RandomPorts.bindable(configured);
        return listen(port, eventLoops(config(), vertx))
                .onSuccess(ignored -> {
                    state = ListenerState.RUNNING;
                    startedAt = Instant.now();
                    starts.incrementAndGet();
                    log.infof("[%s] Listening on %s:%d", name(), config().host(), actualPort);
                    log.infof("[%s] Running (%s hooks, %s)", name(), definition.hooks().size(), definition.beanClass());
                })
                .onFailure(cause -> {
                    state = ListenerState.FAILED;
                    failure = cause.getMessage();
                    log.errorf("[%s] Cannot listen on %s:%d: %s", name(), config().host(), configured, failure);
                    closeListeners();
                });
    }

    /** @return how many event loops the protocol listens on: {@code event-loops}, at most all of them */
    static int eventLoops(ProtocolConfig config, Vertx vertx) {
        int all = EventLoops.count(vertx);
        return Math.min(all, config.eventLoops().orElse(all));
    }

    /** @return how many event loops the protocol listens on now */
    int eventLoops() {
        synchronized (listeners) {
            return listeners.size();
        }
    }

    private Future<Void> listen(int port, int eventLoops) {
        List<Future<Integer>> bound = new ArrayList<>();
        synchronized (listeners) {
            for (int i = 0; i < eventLoops; i++) {
                EventLoopListener listener = new EventLoopListener(this, vertx, port);
                listeners.add(listener);
                bound.add(listener.listen());
            }
        }
        return Future.all(bound).map(all -> {
            actualPort = bound.get(0).result();
            return null;
        });
    }

    /**
     * Drains the protocol (see {@link #drain(CloseReason)}), then stops listening.
     *
     * @param reason what the close hooks see
     * @return completes when the listener is closed
     */
    @Override
    public Future<Void> stop(CloseReason reason) {
        if (state == ListenerState.STOPPED) {
            return Future.succeededFuture();
        }
        return drain(reason).transform(ignored -> closeListeners())
                .onComplete(ignored -> {
                    closeRetiredClients();
                    state = ListenerState.STOPPED;
                    log.infof("[%s] Stopped", name());
                });
    }

    /**
     * Drains, stops listening, then listens again with its configuration read again.
     *
     * @return completes when listening again, fails with the reason it could not bind
     */
    @Override
    public Future<Void> restart() {
        SmProtocolConfig fresh = configReader.current(SmProtocolConfig.class, null);
        return restart(fresh == null ? config() : fresh.protocols().get(name()));
    }

    /**
     * Drains, stops listening, then listens again with the given configuration.
     *
     * @param newConfig the protocol's configuration, read again
     * @return completes when listening again, fails with the reason it could not bind
     */
    Future<Void> restart(ProtocolConfig newConfig) {
        log.infof("[%s] Restarting...", name());
        return stop(CloseReason.SERVER_RESTART).transform(ignored -> {
            runtime = runtime(definition, newConfig, runtime.metrics());
            // every connection has closed: a client replaced now has no socket left to keep
            closeRetiredClients();
            return start();
        });
    }

    /**
     * Stops accepting (new clients are closed at once), lets every connection finish the lines it already sent and
     * flush their replies, then closes it with {@code reason}; connections still busy after the drain timeout are
     * closed anyway. Completes when every connection's close hook has run, or a second drain timeout passed.
     */
    private Future<Void> drain(CloseReason reason) {
        state = ListenerState.DRAINING;
        List<Connection> open = new ArrayList<>(connections);
        if (open.isEmpty()) {
            return Future.succeededFuture();
        }
        log.infof("[%s] Draining %d connection(s) (%s)", name(), open.size(), reason);
        long drainMillis = Math.max(1, config().drainTimeout().toMillis());
        Future<Void> drained = Future.join(open.stream().map(c -> c.drainOnItsLoop(reason)).toList()).mapEmpty();
        Promise<Void> done = Promise.promise();
        drained.onComplete(ignored -> done.tryComplete());
        vertx.setTimer(drainMillis, ignored -> {
            if (done.future().isComplete()) {
                return;
            }
            List<Connection> late = new ArrayList<>(connections);
            log.warnf("[%s] %d connection(s) still busy after %d ms, closing them", name(), late.size(), drainMillis);
            late.forEach(c -> c.closeOnItsLoop(reason));
            // a hook that never returns must not hold the protocol forever
            vertx.setTimer(drainMillis, later -> done.tryComplete());
        });
        return done.future();
    }

    private Future<Void> closeListeners() {
        List<EventLoopListener> toClose;
        synchronized (listeners) {
            toClose = new ArrayList<>(listeners);
            listeners.clear();
        }
        return Future.join(toClose.stream().map(EventLoopListener::close).toList()).mapEmpty();
    }

    /** Called on the accepting event loop for each new client. */
    void accept(NetSocket socket, io.vertx.core.Context context) {
        if (state != ListenerState.RUNNING && state != ListenerState.STARTING) {
            // draining for a restart or a shutdown: new clients come back once the protocol listens again
            socket.close();
            return;
        }
        String ip = socket.remoteAddress().hostAddress();
        if (!limits.tryAcquire(ip, config().maxConnections(), config().maxConnectionsPerIp())) {
            refused.incrementAndGet();
            metrics().refused();
            log.debugf("[%s] refused %s: too many connections", name(), socket.remoteAddress());
            socket.write(Buffer.buffer(config().replies().tooManyConnections() + "\r\n", charset().name()));
            LingeringClose.close(((NetSocketInternal) socket).channelHandlerContext().channel(),
                    config().lingerTimeout());
            return;
        }
        accepted.incrementAndGet();
        metrics().accepted();
        Connection connection = new Connection(this, socket, context, name() + "-" + connectionIds.incrementAndGet());
        connections.add(connection);
        connection.start();
    }

    /** @return the open connections as hooks see them: a live, read-only view */
    Collection<Session> sessions() {
        return openSessions;
    }

    void connectionClosed(Connection connection) {
        if (connections.remove(connection)) {
            limits.release(connection.clientIp());
        }
    }

    /** A client's backend could not be reached. */
    void backendUnavailable(Throwable failure) {
        backendFailures.incrementAndGet();
        metrics().backendUnavailable();
        log.debugf("[%s] backend %s:%d unavailable: %s", name(), config().forward().host().orElse("?"),
                config().forward().port().orElse(-1), failure.getMessage());
    }

    /** A proxied connection's backend sent what the codec does not describe: the connection passes through. */
    void passThroughStarted() {
        passThroughs.incrementAndGet();
    }

    /**
     * @param verb a command's verb
     * @param hooked whether an {@code @OnCommand} hook takes the verb
     * @return the verb it is counted under (itself, or {@link CommandStatistics#OTHER})
     */
    String countedVerb(String verb, boolean hooked) {
        // verbs with a hook always have their own figures; the bound is for the words clients make up
        return hooked ? verb : statistics.bounded(verb);
    }

    /** Counts commands of one verb (already {@link #countedVerb counted}) in the statistics and the metrics(). */
    void commandsReceived(String countedVerb, long count, long bytes) {
        statistics.received(countedVerb, count, bytes);
        metrics().commands(countedVerb, count);
    }

    /** Records the outcome of commands of one verb in the statistics and the metrics(). */
    void commandsAnswered(String countedVerb, long count, long errors, long totalNanos, long maxNanos) {
        statistics.answered(countedVerb, count, errors, totalNanos, maxNanos);
        metrics().commandsAnswered(countedVerb, count, errors, totalNanos);
    }

    /** Counts received lines in the protocol's totals and its metrics(). */
    void countLines(long count) {
        lines.addAndGet(count);
        metrics().lines(count);
    }

    // ---- what connections and operators read

    /** @return the protocol's name */
    @Override
    public String name() {
        return definition.name();
    }

    /** @return the configured host */
    @Override
    public String host() {
        return config().host();
    }

    /** @return connections open now */
    @Override
    public int openConnections() {
        return connections.size();
    }

    /** @return lines received since start */
    @Override
    public long linesReceived() {
        return lines.get();
    }

    /** @return the protocol's per-command statistics */
    @Override
    public CommandStatistics statistics() {
        return statistics;
    }

    /** @return whether the protocol proxies to a backend */
    public boolean proxies() {
        return config().proxies();
    }

    /** @return the backend as host:port, or {@code null} when the protocol does not proxy */
    public String backend() {
        return config().proxies() ? config().forward().host().get() + ":" + config().forward().port().orElse(-1) : null;
    }

    /**
     * @return how many proxied connections pass bytes through unread because their backend sent what the codec does
     *         not describe (a replication stream after {@code SYNC}, a protocol switch)
     */
    public long passThroughConnections() {
        return passThroughs.get();
    }

    /** @return how many times a client's backend could not be reached */
    public long backendFailures() {
        return backendFailures.get();
    }

    /** @return what connections run with now; a connection reads it at step boundaries */
    ProtocolRuntime runtime() {
        return runtime;
    }

    ProtocolMetrics metrics() {
        return runtime.metrics();
    }

    ProtocolConfig config() {
        return runtime.config();
    }

    Charset charset() {
        return runtime.charset();
    }

    Logger log() {
        return log;
    }
}
