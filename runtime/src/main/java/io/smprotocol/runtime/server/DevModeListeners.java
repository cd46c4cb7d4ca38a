package io.smprotocol.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.smprotocol.CloseReason;

/**
 * The protocol listeners that outlive a dev-mode restart. A restart rebuilds the application (beans, hooks,
 * configuration) but keeps the listeners bound and their connections open, like the gRPC extension keeps its
 * server; the new application hands its hooks to the listeners it finds here. They are closed when dev mode ends.
 */
public final class DevModeListeners {

    private static final Map<String, ProtocolServer> LISTENERS = new ConcurrentHashMap<>();

    private DevModeListeners() {
    }

    /**
     * @param name a protocol's name
     * @return the listener the previous application left, removed from here, or {@code null}
     */
    public static ProtocolServer take(String name) {
        return LISTENERS.remove(name);
    }

    /** @return the listeners still kept and not taken, removed from here */
    public static List<ProtocolServer> takeRest() {
        List<ProtocolServer> rest = new ArrayList<>(LISTENERS.values());
        LISTENERS.clear();
        return rest;
    }

    /**
     * Keeps a listener for the next application.
     *
     * @param server a running listener
     */
    public static void keep(ProtocolServer server) {
        LISTENERS.put(server.name(), server);
    }

    /** Stops every kept listener: dev mode ends. */
    static final Runnable CLOSE_ALL = DevModeListeners::closeAll;

    private static void closeAll() {
        for (ProtocolServer server : takeRest()) {
            server.stopNow(CloseReason.SERVER_SHUTDOWN);
        }
    }
}
