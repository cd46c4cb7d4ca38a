package io.smprotocol.runtime;

import java.util.List;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.Recorder;
import io.smprotocol.runtime.config.SmProtocolConfig;
import io.smprotocol.runtime.management.ManagementHandler;
import io.smprotocol.runtime.management.OpenEndpointsWarning;
import io.smprotocol.runtime.management.ProtocolReadinessChecks;
import io.smprotocol.runtime.management.SignalRestarter;
import io.smprotocol.runtime.server.ProtocolManager;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Wires the operational side: management endpoints, readiness checks, SIGHUP.
 */
@Recorder
public class ManagementRecorder {

    /**
     * @param root the management path of the endpoints, ending in {@code smprotocol/}
     * @return the handler of every SMProtocol management endpoint
     */
    public Handler<RoutingContext> managementHandler(String root) {
        return new ManagementHandler(root);
    }

    /** Registers a readiness check per protocol. */
    public void registerReadinessChecks() {
        Arc.container().instance(ProtocolReadinessChecks.class).get().register();
    }

    /** Installs the SIGHUP handler unless switched off. */
    public void installSignalHandler() {
        if (Arc.container().instance(SmProtocolConfig.class).get().sighupRestart()) {
            SignalRestarter.install(Arc.container().instance(ProtocolManager.class).get());
        }
    }

    /**
     * Warns when sensitive endpoints of one router are reachable from other machines and no permission guards them.
     *
     * @see OpenEndpointsWarning#check(boolean, boolean, boolean, List, List)
     */
    public void warnAboutOpenEndpoints(boolean managementInterface, boolean security, boolean managementAuth,
            List<String> endpoints, List<String> guardPaths) {
        OpenEndpointsWarning.check(managementInterface, security, managementAuth, endpoints, guardPaths);
    }
}
