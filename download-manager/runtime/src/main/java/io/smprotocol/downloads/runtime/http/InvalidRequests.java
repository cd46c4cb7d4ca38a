package io.smprotocol.downloads.runtime.http;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.buffer.Buffer;

/**
 * Answers the requests the decoder could not read or refused ({@link StrictRequestDecoder}): the status that fits,
 * a one-line body, {@code Connection: close}, and the connection closed once it is written, since nothing after a
 * malformed head can be trusted to start a request. Each is counted and logged by {@link DownloadServer#badInput},
 * once per cause per minute at most, without a stack trace.
 */
final class InvalidRequests {

    private final DownloadServer server;

    InvalidRequests(DownloadServer server) {
        this.server = server;
    }

    void answer(DownloadConnection connection, HttpRequest request, ResponseWriter response) {
        DecoderResult result = request.decoderResult();
        Throwable failure = result == null ? null : result.cause();
        int status;
        String cause;
        String detail = null;
        if (failure instanceof RefusedRequest refused) {
            status = refused.status();
            cause = refused.reason();
            detail = refused.getMessage().equals(cause) ? null : refused.getMessage().substring(cause.length() + 2);
        } else if (failure instanceof TooLongHttpLineException) {
            status = 414;
            cause = "request-line-too-long";
        } else if (failure instanceof TooLongHttpHeaderException) {
            status = 431;
            cause = "header-section-too-large";
        } else {
            status = 400;
            cause = "malformed-request";
            detail = failure == null ? null : failure.getMessage();
        }
        server.badInput(connection, cause, detail);
        HttpResponseStatus known = HttpResponseStatus.valueOf(status);
        Buffer body = Buffer.buffer(status + " " + known.reasonPhrase() + ": " + cause + "\n",
                StandardCharsets.UTF_8.name());
        response.status(status);
        response.headers()
                .set("Date", server.date())
                .set("Content-Type", "text/plain; charset=UTF-8")
                .set("Content-Length", String.valueOf(body.length()))
                .set("Cache-Control", "no-store")
                .set("Connection", "close");
        // the writer was made for a connection that is not kept: it closes once the answer went out
        response.end(body);
    }
}
