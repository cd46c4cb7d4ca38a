package io.smprotocol.runtime.server;

import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * The event loops a listener binds on: one server instance per event loop, all sharing one listening socket.
 */
public final class EventLoops {

    private EventLoops() {
    }

    /**
     * @param vertx the application's Vert.x
     * @return how many event loops it has (at least 1)
     */
    public static int count(Vertx vertx) {
        int count = 0;
        for (var ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            count++;
        }
        return Math.max(1, count);
    }
}
