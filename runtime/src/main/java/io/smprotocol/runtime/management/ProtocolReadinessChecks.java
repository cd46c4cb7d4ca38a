package io.smprotocol.runtime.management;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.HealthRegistry;
import io.smprotocol.ListenerState;
import io.smprotocol.runtime.server.ManagedListener;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Registers one readiness check per protocol (and the download manager), named {@code smprotocol-NAME}: UP while its listener
 * is bound, DOWN
 * otherwise with the state and the reason. Only registered when quarkus-smallrye-health is present.
 */
@ApplicationScoped
public class ProtocolReadinessChecks {

    @Inject
    @Readiness
    HealthRegistry readiness;

    @Inject
    ProtocolManager manager;

    /** Registers the checks; called once the protocols exist. */
    public void register() {
        for (ManagedListener server : manager.listeners()) {
            readiness.register("smprotocol-" + server.name(), () -> check(server));
        }
    }

    private static HealthCheckResponse check(ManagedListener server) {
        ListenerState state = server.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("smprotocol-" + server.name())
                .status(state == ListenerState.RUNNING)
                .withData("state", state.name())
                .withData("address", server.host() + ":" + server.port())
                .withData("openConnections", server.openConnections());
        if (server.failure() != null) {
            response.withData("reason", server.failure());
        }
        return response.build();
    }
}
