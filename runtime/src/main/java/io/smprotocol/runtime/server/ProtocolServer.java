package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.netty.channel.EventLoopGroup;
import io.smprotocol.CloseReason;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.hook.ProtocolDefinition;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetSocket;

/**
 * One protocol's listener: a Vert.x {@code NetServer} bound on every event loop, its connections and its limits.
 */
public final class ProtocolServer {

    private final ProtocolDefinition definition;
    private final ProtocolHooks hooks;
    private final Vertx vertx;
    private final Logger log;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionLimits limits = new ConnectionLimits();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final List<String> deployments = new ArrayList<>();

    private volatile ProtocolConfig config;
    private volatile Charset charset;
    private volatile ProtocolState state = ProtocolState.STOPPED;
    private volatile String failure;
    private volatile int actualPort = -1;

    ProtocolServer(ProtocolDefinition definition, ProtocolConfig config, Vertx vertx) {
        this.definition = definition;
        this.hooks = new ProtocolHooks(definition);
        this.vertx = vertx;
        this.log = Logger.getLogger("io.smprotocol.protocol." + definition.name());
        configure(config);
    }

    private void configure(ProtocolConfig config) {
        this.config = config;
        this.charset = Charset.forName(config.charset());
    }

    /**
     * Binds the listener on every event loop. The first instance binds the configured port, the others share the port
     * it got, so that port 0 works too.
     *
     * @return completes when listening, fails with the reason it could not bind
     */
    Future<Void> start() {
        state = ProtocolState.STARTING;
        failure = null;
        log.infof("[%s] Starting...", name());
        int port = config.port().orElseThrow();
        return deploy(port, 1)
                .compose(ignored -> deploy(actualPort, eventLoopCount() - 1))
                .onSuccess(ignored -> {
                    state = ProtocolState.RUNNING;
                    log.infof("[%s] Listening on %s:%d", name(), config.host(), actualPort);
                    log.infof("[%s] Running (%s hooks, %s)", name(), definition.hooks().size(), definition.beanClass());
                })
                .onFailure(cause -> {
                    state = ProtocolState.FAILED;
                    failure = cause.getMessage();
                    undeployAll();
                });
    }

    private Future<Void> deploy(int port, int instances) {
        if (instances <= 0) {
            return Future.succeededFuture();
        }
        DeploymentOptions options = new DeploymentOptions().setInstances(instances);
        return vertx.deployVerticle(() -> new ProtocolVerticle(this, port), options)
                .map(id -> {
                    synchronized (deployments) {
                        deployments.add(id);
                    }
                    return null;
                });
    }

    /**
     * Stops listening and closes every connection with the given reason; each connection's close hook runs.
     *
     * @param reason what the close hooks see
     * @return completes when the listener is closed and every connection has run its close hook
     */
    Future<Void> stop(CloseReason reason) {
        if (state == ProtocolState.STOPPED) {
            return Future.succeededFuture();
        }
        List<Future<Void>> closed = new ArrayList<>();
        for (Connection connection : connections) {
            closed.add(connection.closeOnItsLoop(reason));
        }
        return Future.join(closed).transform(ignored -> undeployAll())
                .onComplete(ignored -> {
                    state = ProtocolState.STOPPED;
                    log.infof("[%s] Stopped", name());
                });
    }

    private Future<Void> undeployAll() {
        List<String> ids;
        synchronized (deployments) {
            ids = new ArrayList<>(deployments);
            deployments.clear();
        }
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String id : ids) {
            undeployed.add(vertx.undeploy(id));
        }
        return Future.join(undeployed).mapEmpty();
    }

    private int eventLoopCount() {
        EventLoopGroup group = ((VertxInternal) vertx).getEventLoopGroup();
        int count = 0;
        for (var ignored : group) {
            count++;
        }
        return Math.max(1, count);
    }

    /** Called on the accepting event loop for each new client. */
    void accept(NetSocket socket, io.vertx.core.Context context) {
        String ip = socket.remoteAddress().hostAddress();
        if (!limits.tryAcquire(ip, config.maxConnections(), config.maxConnectionsPerIp())) {
            refused.incrementAndGet();
            log.debugf("[%s] refused %s: too many connections", name(), socket.remoteAddress());
            socket.end(Buffer.buffer(config.replies().tooManyConnections() + "\r\n", charset.name()));
            return;
        }
        accepted.incrementAndGet();
        Connection connection = new Connection(this, socket, context, name() + "-" + connectionIds.incrementAndGet());
        connections.add(connection);
        connection.start();
    }

    void connectionClosed(Connection connection) {
        if (connections.remove(connection)) {
            limits.release(connection.clientIp());
        }
    }

    void listening(int port) {
        actualPort = port;
    }

    void countLine() {
        lines.incrementAndGet();
    }

    // ---- what connections and operators read

    /** @return the protocol's name */
    public String name() {
        return definition.name();
    }

    /** @return the protocol's current state */
    public ProtocolState state() {
        return state;
    }

    /** @return why the protocol failed, or {@code null} */
    public String failure() {
        return failure;
    }

    /** @return the configured host */
    public String host() {
        return config.host();
    }

    /** @return the port listened on, or -1 when not listening */
    public int port() {
        return state == ProtocolState.RUNNING || state == ProtocolState.DRAINING ? actualPort : -1;
    }

    /** @return connections open now */
    public int openConnections() {
        return connections.size();
    }

    /** @return connections accepted since start */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** @return connections refused by limits since start */
    public long refusedConnections() {
        return refused.get();
    }

    /** @return lines received since start */
    public long linesReceived() {
        return lines.get();
    }

    ProtocolConfig config() {
        return config;
    }

    Charset charset() {
        return charset;
    }

    ProtocolHooks hooks() {
        return hooks;
    }

    Logger log() {
        return log;
    }
}
