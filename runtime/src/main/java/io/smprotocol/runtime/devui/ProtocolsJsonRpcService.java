package io.smprotocol.runtime.devui;

import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;

import io.smprotocol.runtime.server.ProtocolManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the Dev UI card calls: the protocols with their state, and a restart per protocol.
 */
public class ProtocolsJsonRpcService {

    @Inject
    ProtocolManager manager;

    /** @return every protocol's status */
    public JsonArray getProtocols() {
        JsonArray protocols = new JsonArray();
        manager.statuses().forEach(status -> protocols.add(new JsonObject()
                .put("name", status.name())
                .put("state", status.state().name())
                .put("address", status.host() + ":" + status.port())
                .put("openConnections", status.openConnections())
                .put("acceptedConnections", status.acceptedConnections())
                .put("starts", status.starts())
                .put("failure", status.failure())));
        return protocols;
    }

    /**
     * @param name a protocol's name
     * @return the outcome, as a line for the page
     */
    public CompletionStage<String> restart(String name) {
        return manager.restart(name).handle((status, failure) -> failure == null
                ? name + " restarted: " + status.state() + " on port " + status.port()
                : name + " could not restart: " + failure.getMessage());
    }
}
