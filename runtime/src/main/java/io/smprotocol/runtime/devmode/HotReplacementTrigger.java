package io.smprotocol.runtime.devmode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.dev.spi.HotReplacementContext;
import io.quarkus.dev.spi.HotReplacementSetup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Lets TCP traffic trigger live reload in {@code quarkus dev}: before a connection is greeted or a line is handled,
 * changed sources are compiled and the application restarted, so the new hooks answer that very line, with no HTTP
 * request needed. Protocol listeners are kept across such restarts; what keeps them registers its close here
 * ({@link #whenDevModeEnds(Runnable)}).
 * <p>
 * Quarkus finds this class through {@code META-INF/services}; outside dev mode it is never set up and
 * {@link #beforeTraffic(Context)} costs a volatile read.
 */
public final class HotReplacementTrigger implements HotReplacementSetup {

    private static final Logger LOG = Logger.getLogger(HotReplacementTrigger.class);

    /** Scans at most this often: traffic from a busy client must not compile on every line. */
    private static final long SCAN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static volatile HotReplacementContext context;
    private static volatile ExecutorService scanner;
    private static volatile long nextScan;
    /** Run when dev mode ends: the owners of what outlives restarts close it. */
    private static final List<Runnable> ON_END = new CopyOnWriteArrayList<>();

    @Override
    public void setupHotDeployment(HotReplacementContext hotReplacementContext) {
        // the scan restarts the application, which must not wait on an event loop or a Vert.x worker it stops
        scanner = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "smprotocol-dev-scan");
            thread.setDaemon(true);
            return thread;
        });
        context = hotReplacementContext;
    }

    @Override
    public void close() {
        context = null;
        ExecutorService executor = scanner;
        scanner = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        for (Runnable task : ON_END) {
            task.run();
        }
    }

    /**
     * @param task what to run once when dev mode ends (closing what outlived restarts); registering the same task
     *        again does nothing
     */
    public static void whenDevModeEnds(Runnable task) {
        ON_END.remove(task);
        ON_END.add(task);
    }

    /**
     * @param connectionContext the connection's context; the scan runs on a worker of it
     * @return completes once any pending change is live; at once outside dev mode or between scans
     */
    public static Future<Void> beforeTraffic(Context connectionContext) {
        HotReplacementContext hot = context;
        if (hot == null) {
            return Future.succeededFuture();
        }
        long now = System.nanoTime();
        if (now - nextScan < 0 && !hot.isTest()) {
            return Future.succeededFuture();
        }
        nextScan = now + SCAN_INTERVAL_NANOS;
        ExecutorService executor = scanner;
        Promise<Void> scanned = Promise.promise();
        ClassLoader applicationLoader = Thread.currentThread().getContextClassLoader();
        try {
            executor.execute(() -> {
                Thread.currentThread().setContextClassLoader(applicationLoader);
                try {
                    hot.doScan(true);
                } catch (Exception e) {
                    // Quarkus reports a failed compilation itself; the old hooks go on answering
                    LOG.debugf(e, "Live reload scan failed");
                }
                connectionContext.runOnContext(ignored -> scanned.complete());
            });
        } catch (RejectedExecutionException closing) {
            scanned.complete();
        }
        return scanned.future();
    }

    /** @return whether the application runs in dev mode with live reload */
    public static boolean active() {
        return context != null;
    }
}
