package io.smprotocol.downloads.runtime.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One event loop's share of the download listener. Vert.x spreads the connections of HTTP servers bound to the same
 * address among their event loops.
 */
final class DownloadVerticle extends AbstractVerticle {

    private final DownloadServer server;
    private final String host;
    private final int port;
    private final int backlog;
    private final DownloadRequestHandler handler;

    DownloadVerticle(DownloadServer server, String host, int port, int backlog, DownloadRequestHandler handler) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.backlog = backlog;
        this.handler = handler;
    }

    @Override
    public void start(Promise<Void> started) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setAcceptBacklog(backlog)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                // the idle timeout is ours (ChannelHooks): it sees sendfile progress and tells why it closed
                .setIdleTimeout(0)
                // compression would defeat sendfile and byte ranges
                .setCompressionSupported(false)
                // HTTP/1.1 only: with cleartext HTTP/2 on (Vert.x' default) a connection reaches the connection handler
                // only once its first request head is complete, escaping max-connections and the idle timeout
                .setHttp2ClearTextEnabled(false);
        HttpServer http = vertx.createHttpServer(options);
        http.connectionHandler(connection -> server.connected(connection, options));
        http.requestHandler(handler);
        // what StrictRequestDecoder refused, or Netty could not read
        http.invalidRequestHandler(new InvalidRequests(server));
        http.listen().onSuccess(bound -> {
            server.listening(bound.actualPort());
            started.complete();
        }).onFailure(started::fail);
    }
}
