package io.smprotocol.downloads.runtime.http;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smprotocol.CloseReason;
import io.smprotocol.ListenerState;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadLinks;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadProgress;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.downloads.runtime.config.DownloadConfig;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.smprotocol.downloads.runtime.policy.RateLimit;
import io.smprotocol.downloads.runtime.sessions.DownloadSessions;
import io.smprotocol.runtime.config.ConfigReader;
import io.smprotocol.runtime.server.AbstractManagedListener;
import io.smprotocol.runtime.server.CommandStatistics;
import io.smprotocol.runtime.server.EventLoops;
import io.smprotocol.runtime.server.ProtocolMetrics;
import io.smprotocol.runtime.server.RandomPorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The built-in {@code download} protocol: an HTTP/1.1 listener of its own (not Quarkus' main HTTP server), Netty's
 * HTTP codec on Vert.x TCP servers bound on every event loop, that serves the files under
 * {@code quarkus.smprotocol.download.root}. It has the observable
 * surface of every protocol ({@link #state()}, {@link #port()}, connection counts, {@link #start()},
 * {@link #stop(CloseReason)}) so that management, health and restarts treat it like the others.
 */
@Singleton
public class DownloadServer extends AbstractManagedListener implements DownloadProgress, DownloadLinks {

    /** The protocol name of the download manager. */
    public static final String NAME = "download";

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");
    /** After the drain timeout cut the connections left, how long their requests' ends may take to be told. */
    private static final long CUT_GRACE_MILLIS = 5000;

    private final Vertx vertx;
    private volatile DownloadConfig config;
    private final Memcached memcached;
    private final DownloadSessions sessions;
    private final Instance<DownloadObserver> observerBeans;
    private final Set<DownloadConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<String> deployments = new ArrayList<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final RequestStatistics statistics = new RequestStatistics();
    /** Requests begun and not ended yet: a drain waits for their ends to be told. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Completes when a drain is over: no connection left and every request's end told; {@code null} unless draining. */
    private volatile Promise<Void> drained;
    private final ClientFaults faults = new ClientFaults(LOG, NAME, () -> this.metrics);

    private volatile DownloadObservers observers = DownloadObservers.NONE;
    private volatile DownloadSettings settings;
    private volatile DownloadRequestHandler handler;
    private volatile long sessionTimer = -1;
    private final DateHeader date = new DateHeader();
    private volatile ProtocolMetrics metrics = ProtocolMetrics.NONE;
    /** Made with the bean, on a thread that finds the application's configuration; restarts read it again. */
    private final ConfigReader configReader = ConfigReader.ofApplication();

    @Inject
    public DownloadServer(Vertx vertx, DownloadsConfig config, Memcached memcached, DownloadSessions sessions,
            @Any Instance<DownloadObserver> observers) {
        this.vertx = vertx;
        this.config = config.download();
        this.memcached = memcached;
        this.sessions = sessions;
        this.observerBeans = observers;
    }

    /**
     * Binds the listener on every event loop, all instances sharing one listening socket, port 0 included.
     *
     * @return completes when listening, fails with the reason it could not bind
     */
    public synchronized Future<Void> start() {
        if (state == ListenerState.RUNNING || state == ListenerState.STARTING) {
            return Future.succeededFuture();
        }
        state = ListenerState.STARTING;
        failure = null;
        LOG.infof("[%s] Starting...", NAME);
        try {
            settings = DownloadSettingsReader.read(config, memcached, vertx, sessions);
        } catch (RuntimeException e) {
            state = ListenerState.FAILED;
            failure = e.getMessage();
            return Future.failedFuture(e);
        }
        observers = new DownloadObservers(observerBeans.stream().toList());
        handler = new DownloadRequestHandler(this, settings, vertx);
        // every instance shares one listening socket, port 0 included
        int port = RandomPorts.bindable(config.port());
        return deploy(port, EventLoops.count(vertx))
                .onSuccess(ignored -> {
                    state = ListenerState.RUNNING;
                    startedAt = Instant.now();
                    starts.incrementAndGet();
                    long window = Math.max(1000, config.sessionWindow().toMillis());
                    sessionTimer = vertx.setPeriodic(window, id -> sessions.expire());
                    LOG.infof("[%s] Listening on %s:%d, serving %s%s", NAME, config.host(), actualPort,
                            settings.resolver().root(),
                            settings.resolver().root().toFile().isDirectory() ? ""
                                    : " (does not exist yet: requests get 404 until it does)");
                })
                .onFailure(cause -> {
                    state = ListenerState.FAILED;
                    failure = cause.getMessage();
                    undeployAll();
                });
    }

    /**
     * Drains, then stops listening. Draining: the state turns {@code DRAINING} at once (readiness DOWN), new
     * connections are closed and new requests on open ones refused ({@code 503}, {@code Connection: close}); idle
     * connections are closed; a connection answering a request is closed once that response ended. Whatever is
     * still sending after {@code drain-timeout} (for a shutdown or a restart; nothing waits for other reasons) is cut,
     * its response ending with the reason that matches ({@code SERVER_RESTART}, {@code SERVER_SHUTDOWN}, else
     * {@code ERROR}) and the bytes it delivered. The stop completes once every request's end was told to the
     * observers (so tracking has them all) and the listener is closed.
     *
     * @param reason why
     * @return completes when the listener and every connection are closed
     */
    @Override
    public synchronized Future<Void> stop(CloseReason reason) {
        if (state == ListenerState.STOPPED) {
            return Future.succeededFuture();
        }
        if (drained != null) {
            return drained.future();
        }
        state = ListenerState.DRAINING;
        DownloadEndReason endReason = switch (reason) {
            case SERVER_RESTART -> DownloadEndReason.SERVER_RESTART;
            case SERVER_SHUTDOWN -> DownloadEndReason.SERVER_SHUTDOWN;
            case IDLE_TIMEOUT -> DownloadEndReason.IDLE_TIMEOUT;
            case CLIENT_CLOSED -> DownloadEndReason.CLIENT_ABORTED;
            default -> DownloadEndReason.ERROR;
        };
        if (sessionTimer >= 0) {
            vertx.cancelTimer(sessionTimer);
            sessionTimer = -1;
        }
        long drainMillis = reason == CloseReason.SERVER_SHUTDOWN || reason == CloseReason.SERVER_RESTART
                ? config.drainTimeout().toMillis()
                : 0;
        Promise<Void> done = Promise.promise();
        drained = done;
        int busy = 0;
        for (DownloadConnection connection : connections) {
            if (connection.drain()) {
                busy++;
            }
        }
        if (busy > 0) {
            LOG.infof("[%s] Draining: %d response(s) in flight get up to %d ms to finish (%s)", NAME, busy,
                    drainMillis, reason);
        }
        long timer = vertx.setTimer(Math.max(1, drainMillis), id -> cut(endReason));
        drainProgress();
        Future<Void> result = done.future().transform(ignored -> {
            vertx.cancelTimer(timer);
            return undeployAll();
        }).transform(ignored -> {
            synchronized (this) {
                drained = null;
                state = ListenerState.STOPPED;
            }
            actualPort = -1;
            LOG.infof("[%s] Stopped", NAME);
            return Future.<Void> succeededFuture();
        });
        return result;
    }

    /** The drain timeout passed: cuts every connection left, then gives their requests' ends a moment to be told. */
    private void cut(DownloadEndReason endReason) {
        Promise<Void> done = drained;
        if (done == null || done.future().isComplete()) {
            return;
        }
        if (!connections.isEmpty()) {
            LOG.infof("[%s] Cutting %d connection(s) still sending after the drain timeout (%s)", NAME,
                    connections.size(), endReason);
        }
        for (DownloadConnection connection : connections) {
            connection.close(endReason);
        }
        // the ends are told on the connections' event loops as they close; one that never comes must not hold the stop
        vertx.setTimer(CUT_GRACE_MILLIS, id -> {
            if (done.tryComplete()) {
                LOG.warnf("[%s] %d connection(s), %d request(s) did not end after being cut", NAME,
                        connections.size(), inFlight.get());
            }
        });
    }

    /** Completes the drain once no connection is left and every request's end was told. */
    private void drainProgress() {
        Promise<Void> done = drained;
        if (done != null && connections.isEmpty() && inFlight.get() == 0) {
            done.tryComplete();
        }
    }

    /** @return whether the listener is draining: new requests are refused */
    boolean draining() {
        return state == ListenerState.DRAINING;
    }

    /**
     * Stops with {@code SERVER_RESTART}, takes the download settings read again, and starts again.
     *
     * @return completes when listening again
     */
    @Override
    public Future<Void> restart() {
        return stop(CloseReason.SERVER_RESTART).compose(ignored -> {
            DownloadsConfig fresh = configReader.current(DownloadsConfig.class, null);
            if (fresh != null) {
                config = fresh.download();
            }
            return start();
        });
    }

    /**
     * @param metrics where the listener reports connections, requests and bytes
     */
    public void metrics(ProtocolMetrics metrics) {
        this.metrics = metrics;
    }

    private Future<Void> deploy(int port, int instances) {
        if (instances <= 0) {
            return Future.succeededFuture();
        }
        DeploymentOptions options = new DeploymentOptions().setInstances(instances);
        // deployed from a context of no verticle: from one of our own (a restart completes on one) Vert.x would make
        // the new deployment a child of the one being undeployed, and refuse it
        Promise<String> deployed = Promise.promise();
        ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> vertx.deployVerticle(
                () -> new DownloadVerticle(this, config.host(), port, config.backlog()), options)
                .onComplete(deployed));
        return deployed.future().map(id -> {
            synchronized (deployments) {
                deployments.add(id);
            }
            return null;
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

    /** A new connection, on its event loop, before any byte of it was read. */
    void connected(NetSocketInternal socket) {
        DownloadSettings current = settings;
        if (state != ListenerState.RUNNING && state != ListenerState.STARTING) {
            socket.close();
            return;
        }
        boolean overLimit = current.maxConnections() > 0 && connections.size() >= current.maxConnections();
        if (overLimit) {
            refused.incrementAndGet();
            metrics.refused();
        } else {
            accepted.incrementAndGet();
            metrics.accepted();
        }
        RateLimit rateLimit = current.rateLimit() > 0
                ? new RateLimit(current.rateLimit(), Math.min(current.blockSize(), current.rateLimit()),
                        System.nanoTime())
                : null;
        HttpChannel channel = new HttpChannel(socket);
        DownloadConnection download = new DownloadConnection(connectionIds.incrementAndGet(), channel, handler,
                overLimit, rateLimit);
        connections.add(download);
        // a client that resets its connection in the middle of a download is routine (its download ends
        // CLIENT_ABORTED), not the server's error
        socket.exceptionHandler(failure -> faults.connectionFailed(download, failure));
        if (EpollSockets.isEpoll(channel.channel())) {
            EpollSockets.boundUnsent(channel.channel());
        }
        channel.start(download, TimeUnit.MILLISECONDS.toNanos(current.idleTimeoutMillis()), () -> {
            DownloadExchange exchange = download.current();
            if (exchange != null) {
                exchange.connectionClosed();
            }
            connections.remove(download);
            drainProgress();
        });
    }

    /**
     * A request or body refused as malformed: counted once per connection (it is closed), and logged once per cause
     * per minute at most.
     *
     * @param connection whose, or {@code null} when not known
     * @param cause a word of the listener's own
     * @param detail what exactly, or {@code null}
     */
    void badInput(DownloadConnection connection, String cause, String detail) {
        faults.badInput(connection, cause, detail);
    }

    /** @return requests and bodies refused as malformed since the application started */
    public long badInput() {
        return faults.count();
    }

    void listening(int port) {
        actualPort = port;
    }

    long nextRequestId() {
        inFlight.incrementAndGet();
        requests.incrementAndGet();
        metrics.lines(1);
        return requestIds.incrementAndGet();
    }

    void requested(DownloadRequest request) {
        observers.requested(request);
    }

    /** The body of a request in flight went on; at most about once a second per request. */
    void progressed(DownloadRequest request, long bytes) {
        observers.progressed(request, bytes);
    }

    void ended(DownloadRequest request, DownloadEnd end) {
        metrics.bytesOut(end.bytesWritten());
        statistics.ended(request, end);
        if (request.file() != null && request.downloadId() != null && request.contentLength() > 0) {
            // the session window slides from a download request's end too
            sessions.touch(request.client().ip(), request.userAgent(), request.file().path(), request.file().etag(),
                    request.downloadId());
        }
        if (LOG.isDebugEnabled()) {
            // checked first: the call's arguments alone (an array, boxed numbers) cost a request several allocations
            LOG.debugf("[%s] %s %s %s -> %d %s, %d/%d bytes in %s", NAME, request.client().ip(), request.method(),
                    request.path(), request.status(), end.reason(), end.bytesWritten(), request.contentLength(),
                    end.duration());
        }
        observers.ended(request, end);
        inFlight.decrementAndGet();
        drainProgress();
    }

    @Override
    public long progress(long requestId) {
        for (DownloadConnection connection : connections) {
            DownloadExchange exchange = connection.current();
            if (exchange != null && exchange.id() == requestId) {
                return exchange.progress();
            }
        }
        return -1;
    }

    /** @return the current {@code Date} header value, formatted once per second */
    String date() {
        return date.now();
    }

    // ---- what operators, health checks and tests read

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return the configured host */
    @Override
    public String host() {
        return config.host();
    }

    /** @return connections open now */
    @Override
    public int openConnections() {
        return connections.size();
    }

    /** @return requests received since the application started */
    @Override
    public long linesReceived() {
        return requests.get();
    }

    /** @return requests received since the application started */
    public long requests() {
        return requests.get();
    }

    /** @return per HTTP method: requests, file bytes sent, error answers, durations */
    @Override
    public CommandStatistics statistics() {
        return statistics.perMethod();
    }

    /** @return requests by status and by end reason, and the caches' hits and misses */
    @Override
    public Map<String, Object> statisticsDetails() {
        Map<String, Object> details = new java.util.LinkedHashMap<>(statistics.details());
        details.put("requests", requests());
        details.put("localCacheHits", localCacheHits());
        details.put("cacheHits", cacheHits());
        details.put("cacheMisses", cacheMisses());
        details.put("cacheErrors", cacheErrors());
        return details;
    }

    /** @return the absolute root served */
    public Path root() {
        return Path.of(config.root()).toAbsolutePath().normalize();
    }

    /** @return requests answered from the local cache of small files */
    public long localCacheHits() {
        DownloadSettings current = settings;
        return current == null || current.localCache() == null ? 0 : current.localCache().hits();
    }

    /** @return requests answered from memcached */
    public long cacheHits() {
        DownloadSettings current = settings;
        return current == null || current.cache() == null ? 0 : current.cache().hits();
    }

    /** @return requests for cacheable files that memcached did not hold */
    public long cacheMisses() {
        DownloadSettings current = settings;
        return current == null || current.cache() == null ? 0 : current.cache().misses();
    }

    /** @return memcached failures that made a file be served from disk */
    public long cacheErrors() {
        DownloadSettings current = settings;
        return current == null || current.cache() == null ? 0 : current.cache().errors();
    }

    @Override
    public String signQuery(String path, long expiresEpochSecond) {
        DownloadSettings current = settings;
        if (current == null || current.signedLinks() == null) {
            throw new IllegalStateException("quarkus.smprotocol.download.signed-links is not enabled");
        }
        return current.signedLinks().query(path, expiresEpochSecond);
    }
}
