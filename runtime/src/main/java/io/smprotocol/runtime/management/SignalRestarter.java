package io.smprotocol.runtime.management;

import org.jboss.logging.Logger;

import io.smprotocol.runtime.server.ProtocolManager;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Restarts every protocol on SIGHUP, as the original daemon did. SIGTERM needs nothing here: Quarkus shuts down
 * gracefully on it and the protocols drain as part of that shutdown.
 * <p>
 * A process started with SIGHUP ignored ({@code nohup}, some init scripts) keeps it ignored: HotSpot does not install
 * a handler for a shutdown signal its parent left ignored, and {@link Signal#handle} then answers
 * {@link SignalHandler#SIG_IGN} as the previous handler. Nothing the application can do changes that, so it says so
 * at start rather than leave {@code kill -HUP} doing nothing silently.
 */
public final class SignalRestarter {

    private static final Logger LOG = Logger.getLogger("io.smprotocol");

    /** Logged when SIGHUP is ignored: the consequence, and what to do instead. */
    static final String IGNORED = "SIGHUP is ignored by this process, as its parent left it (started under nohup?):"
            + " kill -HUP will not restart the protocols. Start the application without nohup (a service manager,"
            + " setsid, or '&' with output redirected) to restart them by signal, or restart them through"
            + " POST /q/smprotocol/restart";

    private SignalRestarter() {
    }

    /**
     * @param manager the protocols to restart on SIGHUP
     */
    public static void install(ProtocolManager manager) {
        install(() -> manager.restartAll().whenComplete((statuses, failure) -> {
            if (failure != null) {
                LOG.errorf("Restart after SIGHUP: %s", failure.getMessage());
            }
        }));
    }

    /**
     * @param restart what SIGHUP does
     * @return whether SIGHUP will run it: {@code false} when the signal is ignored or reserved (both logged)
     */
    static boolean install(Runnable restart) {
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> {
                LOG.info("SIGHUP received: restarting every protocol");
                restart.run();
            });
            String warning = warning(previous);
            if (warning != null) {
                LOG.warn(warning);
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM reserves the signal (for example when started with -Xrs)
            LOG.warnf("SIGHUP cannot be handled on this JVM (%s); restart protocols through the management endpoints",
                    e.getMessage());
            return false;
        }
    }

    /**
     * @param previous what {@link Signal#handle} answered as the handler before ours
     * @return the warning to log when ours was not installed because the signal is ignored, else {@code null}
     */
    static String warning(SignalHandler previous) {
        return previous == SignalHandler.SIG_IGN ? IGNORED : null;
    }
}
