package io.smprotocol.runtime.server;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.smallrye.common.vertx.VertxContext;

/**
 * One event loop's share of a protocol's listener. Vert.x spreads the connections of servers bound to the same
 * address among their event loops.
 */
final class ProtocolVerticle extends AbstractVerticle {

    private final ProtocolServer server;
    private final int port;

    ProtocolVerticle(ProtocolServer server, int port) {
        this.server = server;
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        NetServerOptions options = new NetServerOptions()
                .setHost(server.config().host())
                .setPort(port)
                .setAcceptBacklog(server.config().backlog())
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        NetServer netServer = vertx.createNetServer(options);
        netServer.connectHandler(socket -> {
            // each connection gets its own duplicated context: hooks of different connections never share state
            Context connectionContext = VertxContext.createNewDuplicatedContext(context);
            server.accept(socket, connectionContext);
        });
        netServer.listen().onSuccess(bound -> {
            server.listening(bound.actualPort());
            started.complete();
        }).onFailure(started::fail);
    }
}
