package io.smprotocol.runtime.server;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * One event loop's share of a protocol's listener. Vert.x spreads the connections of servers bound to the same
 * address among the event loops they were bound on.
 * <p>
 * The servers are bound on plain event-loop contexts, not in verticles: Quarkus undeploys verticles when dev mode
 * restarts the application, and the listeners must outlive that restart.
 */
final class EventLoopListener {

    private final ProtocolServer server;
    private final int port;
    private final Context context;
    private NetServer netServer;

    EventLoopListener(ProtocolServer server, Vertx vertx, int port) {
        this.server = server;
        this.port = port;
        // each call takes the next event loop of the pool
        this.context = ((VertxInternal) vertx).createEventLoopContext();
    }

    /** @return completes with the port bound once listening */
    Future<Integer> listen() {
        Promise<Integer> bound = Promise.promise();
        context.runOnContext(ignored -> {
            NetServerOptions options = new NetServerOptions()
                    .setHost(server.config().host())
                    .setPort(port)
                    .setAcceptBacklog(server.config().backlog())
                    .setTcpNoDelay(true)
                    .setReuseAddress(true);
            netServer = context.owner().createNetServer(options);
            netServer.connectHandler(socket -> {
                // each connection gets its own duplicated context for its hooks
                server.accept(socket, VertxContext.createNewDuplicatedContext(context));
            });
            netServer.listen().onSuccess(listening -> bound.complete(listening.actualPort())).onFailure(bound::fail);
        });
        return bound.future();
    }

    /** @return completes once the server socket is closed (with the connections Vert.x still tracks for it) */
    Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        context.runOnContext(ignored -> {
            if (netServer == null) {
                closed.complete();
            } else {
                netServer.close().onComplete(closed);
            }
        });
        return closed.future();
    }
}
