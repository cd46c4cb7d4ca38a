package io.smprotocol.downloads.runtime.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One event loop's share of the download listener: a Vert.x TCP server whose connections {@link HttpChannel} turns
 * into HTTP/1.1 with Netty's codec. Vert.x spreads the connections of servers bound to the same address among their
 * event loops.
 */
final class DownloadVerticle extends AbstractVerticle {

    private final DownloadServer server;
    private final String host;
    private final int port;
    private final int backlog;

    DownloadVerticle(DownloadServer server, String host, int port, int backlog) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.backlog = backlog;
    }

    @Override
    public void start(Promise<Void> started) {
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setAcceptBacklog(backlog)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                // the idle timeout is ours (HttpChannel): it sees sendfile progress and tells why it closed
                .setIdleTimeout(0);
        NetServer tcp = vertx.createNetServer(options);
        tcp.connectHandler(socket -> server.connected((NetSocketInternal) socket));
        tcp.listen().onSuccess(bound -> {
            server.listening(bound.actualPort());
            started.complete();
        }).onFailure(started::fail);
    }
}
