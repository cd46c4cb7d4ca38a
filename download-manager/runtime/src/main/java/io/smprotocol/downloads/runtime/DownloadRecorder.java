package io.smprotocol.downloads.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import io.smprotocol.CloseReason;
import io.smprotocol.downloads.runtime.config.DownloadConfig;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.smprotocol.runtime.config.SmProtocolConfig;
import io.smprotocol.runtime.server.ListenerAddress;
import io.smprotocol.runtime.server.ProtocolManager;
import io.vertx.core.Future;

/**
 * Starts memcached's client and the download listener at run time, and stops both at shutdown.
 */
@Recorder
public class DownloadRecorder {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** @return where the download listener is configured to listen, if it is enabled */
    public RuntimeValue<List<ListenerAddress>> address() {
        DownloadConfig config = Arc.container().instance(DownloadsConfig.class).get().download();
        return new RuntimeValue<>(config.enabled()
                ? List.of(new ListenerAddress("the download listener", "quarkus.smprotocol.download.port",
                        config.host(), config.port()))
                : List.of());
    }

    /**
     * @param shutdown where to register the graceful stop
     */
    public void start(ShutdownContext shutdown) {
        Memcached memcached = Arc.container().instance(Memcached.class).get();
        memcached.start();
        shutdown.addShutdownTask(memcached::stop);
        DownloadsConfig config = Arc.container().instance(DownloadsConfig.class).get();
        if (!config.download().enabled()) {
            LOG.infof("[%s] Disabled by configuration", DownloadServer.NAME);
            return;
        }
        DownloadServer server = Arc.container().instance(DownloadServer.class).get();
        // operators see and restart it like a protocol: management endpoints, readiness, SIGHUP, metrics
        server.metrics(Arc.container().instance(ProtocolManager.class).get().register(server));
        try {
            await(server.start());
        } catch (RuntimeException e) {
            String reason = "[" + DownloadServer.NAME + "] cannot listen on " + config.download().host() + ":"
                    + config.download().port() + ": " + server.failure();
            if (Arc.container().instance(SmProtocolConfig.class).get().failOnBindError()) {
                throw new IllegalStateException(reason + " (quarkus.smprotocol.fail-on-bind-error=true)", e);
            }
            LOG.error(reason + "; the other protocols go on");
        }
        // registered after memcached's: shutdown tasks run in reverse order, the listener stops first
        shutdown.addShutdownTask(() -> {
            try {
                // the drain first, then the cut connections' ends: tracking records each with what it delivered
                await(server.stop(CloseReason.SERVER_SHUTDOWN), config.download().drainTimeout().plus(TIMEOUT));
            } catch (RuntimeException e) {
                LOG.warnf("[%s] did not stop cleanly: %s", DownloadServer.NAME, e.getMessage());
            }
        });
    }

    private static void await(Future<Void> future) {
        await(future, TIMEOUT);
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
