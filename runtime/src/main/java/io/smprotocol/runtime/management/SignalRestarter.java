package io.smprotocol.runtime.management;

import org.jboss.logging.Logger;

import io.smprotocol.runtime.server.ProtocolManager;
import sun.misc.Signal;

/**
 * Restarts every protocol on SIGHUP, as the original daemon did. SIGTERM needs nothing here: Quarkus shuts down
 * gracefully on it and the protocols drain as part of that shutdown.
 */
public final class SignalRestarter {

    private static final Logger LOG = Logger.getLogger("io.smprotocol");

    private SignalRestarter() {
    }

    /**
     * @param manager the protocols to restart on SIGHUP
     */
    public static void install(ProtocolManager manager) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                LOG.info("SIGHUP received: restarting every protocol");
                manager.restartAll().whenComplete((statuses, failure) -> {
                    if (failure != null) {
                        LOG.errorf("Restart after SIGHUP: %s", failure.getMessage());
                    }
                });
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM reserves the signal (for example when started with -Xrs)
            LOG.warnf("SIGHUP cannot be handled on this JVM (%s); restart protocols through the management endpoints",
                    e.getMessage());
        }
    }
}
