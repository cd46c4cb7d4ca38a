package io.smprotocol.downloads.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.smprotocol.download.ByteRange;
import io.smprotocol.download.ClientAddress;
import io.smprotocol.download.Delivery;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.FileInfo;
import io.smprotocol.downloads.runtime.files.FileLookup;
import io.smprotocol.downloads.runtime.files.MemcachedFileCache;
import io.smprotocol.downloads.runtime.policy.ForwardedClients;
import io.smprotocol.downloads.runtime.policy.RateLimit;
import io.smprotocol.downloads.runtime.policy.SignedLinks;
import io.smprotocol.downloads.runtime.policy.UniqueIpGuard;
import io.smprotocol.downloads.runtime.semantics.Multipart;
import io.smprotocol.downloads.runtime.semantics.Preconditions;
import io.smprotocol.downloads.runtime.semantics.RangeOutcome;
import io.smprotocol.downloads.runtime.semantics.RangeParser;
import io.smprotocol.downloads.runtime.semantics.RequestPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;

/**
 * Answers one request of the download listener, on the connection's event loop: method, limits, path, signature,
 * file lookup ({@link FileLookups}), conditional headers, ranges, unique-ip,
 * then the body: from memory (small files, read with the lookup), by {@code sendfile}, from disk in blocks, or from
 * the memcached copy.
 */
final class DownloadRequestHandler {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");
    private static final String ALLOWED = "GET, HEAD";
    /**
     * Files up to this size are read whole with their lookup and written from memory with their headers: for
     * them {@code sendfile}'s own open, stat and close on the event loop cost more than the copy. Small enough that
     * many slow clients holding such a copy each cost little.
     */
    static final int SMALL_FILE = 16 * 1024;

    private final DownloadServer server;
    private final DownloadSettings settings;
    private final Vertx vertx;
    private final FileLookups lookups;
    private final InvalidRequests invalidRequests;

    DownloadRequestHandler(DownloadServer server, DownloadSettings settings, Vertx vertx) {
        this.server = server;
        this.settings = settings;
        this.vertx = vertx;
        this.lookups = new FileLookups(settings, vertx);
        this.invalidRequests = new InvalidRequests(server);
    }

    /** A request of the connection, on its event loop. */
    void handle(DownloadConnection connection, RequestHead request, ResponseWriter response) {
        ClientAddress client = ForwardedClients.resolve(connection.peerIp(), connection.connection().peerPort(),
                request.headers("Forwarded"), request.headers("X-Forwarded-For"), settings.trustedProxies());
        DownloadExchange exchange = new DownloadExchange(server, connection, request, response,
                server.nextRequestId(), client);
        connection.current(exchange);
        common(exchange);
        try {
            handle(exchange);
        } catch (RuntimeException e) {
            LOG.errorf(e, "download request %s failed", request.path());
            error(exchange, e);
        }
    }

    /** A request the decoder refused or could not read. */
    void invalid(DownloadConnection connection, HttpRequest request, ResponseWriter response) {
        invalidRequests.answer(connection, request, response);
    }

    /** A request body the decoder could not read or would not read further. */
    void badBody(DownloadConnection connection, String cause, String detail) {
        server.badInput(connection, cause, detail);
    }

    private void handle(DownloadExchange exchange) {
        RequestHead request = exchange.request();
        if (!request.isGet() && !request.isHead()) {
            reject(exchange, 405, "Method Not Allowed", "only GET and HEAD", h -> h.set("Allow", ALLOWED));
            return;
        }
        if (exchange.connection().draining()) {
            reject(exchange, 503, "Service Unavailable", "the server is shutting down", h -> {
                h.set("Retry-After", String.valueOf(settings.retryAfterSeconds()));
                h.set("Connection", "close");
            });
            return;
        }
        if (exchange.connection().overLimit()) {
            reject(exchange, 503, "Service Unavailable", "too many connections", h -> {
                h.set("Retry-After", String.valueOf(settings.retryAfterSeconds()));
                h.set("Connection", "close");
            });
            return;
        }
        RequestPath path;
        try {
            path = RequestPath.parse(request.path());
        } catch (RequestPath.InvalidPathException e) {
            reject(exchange, 400, "Bad Request", e.getMessage(), null);
            return;
        }
        exchange.path(path.path());
        if (settings.signedLinks() != null) {
            String expires;
            String signature;
            try {
                expires = request.param(SignedLinks.EXPIRES);
                signature = request.param(SignedLinks.SIGNATURE);
            } catch (IllegalArgumentException e) {
                // a malformed escape in the query string: the client's error, not ours
                reject(exchange, 400, "Bad Request", "malformed query", null);
                return;
            }
            SignedLinks.Verdict verdict = settings.signedLinks().verify(path.path(), expires, signature,
                    System.currentTimeMillis() / 1000);
            switch (verdict) {
                case MISSING -> {
                    if (settings.signaturesRequired()) {
                        reject(exchange, 403, "Forbidden", "a signed link is required", null);
                        return;
                    }
                }
                case INVALID -> {
                    reject(exchange, 403, "Forbidden", "invalid signature", null);
                    return;
                }
                case EXPIRED -> {
                    reject(exchange, 410, "Gone", "the link has expired", null);
                    return;
                }
                case VALID -> {
                }
            }
        }
        boolean mayReadWhole = request.isGet() && request.header("If-None-Match") == null
                && request.header("If-Modified-Since") == null;
        lookups.lookUp(path, mayReadWhole, exchange.connection().connection().context(), lookup -> {
            if (exchange.finished()) {
                return;
            }
            try {
                found(exchange, lookup);
            } catch (RuntimeException e) {
                LOG.errorf(e, "download request %s failed", exchange.path());
                error(exchange, e);
            }
        }, e -> error(exchange, e));
    }

    private static long totalLength(List<ByteRange> ranges) {
        long total = 0;
        for (ByteRange range : ranges) {
            total += range.length();
        }
        return total;
    }

    private void found(DownloadExchange exchange, FileLookup lookup) {
        if (lookup instanceof FileLookup.NotFound) {
            reject(exchange, 404, "Not Found", null, null);
            return;
        }
        if (lookup instanceof FileLookup.Forbidden forbidden) {
            LOG.debugf("403 for %s from %s: %s", exchange.path(), exchange.client().ip(), forbidden.reason());
            reject(exchange, 403, "Forbidden", null, null);
            return;
        }
        FileLookup.Found found = (FileLookup.Found) lookup;
        FileInfo file = found.file();
        Buffer content = found.content();
        exchange.file(file);
        RequestHead request = exchange.request();
        HttpHeaders headers = exchange.response().headers();
        validators(headers, found);

        Preconditions.Verdict verdict = Preconditions.evaluate(request.header("If-Match"),
                request.header("If-Unmodified-Since"), request.header("If-None-Match"),
                request.header("If-Modified-Since"), file.etag(), file.lastModified());
        if (verdict == Preconditions.Verdict.NOT_MODIFIED) {
            exchange.begin(freshId(), 304, List.of(), 0, Delivery.NONE);
            end(exchange, 304, DownloadEndReason.COMPLETED);
            return;
        }
        if (verdict == Preconditions.Verdict.PRECONDITION_FAILED) {
            reject(exchange, 412, "Precondition Failed", null, null);
            return;
        }

        String rangeHeader = request.header("Range");
        RangeOutcome outcome = Preconditions.rangeAllowed(request.header("If-Range"), file.etag(),
                file.lastModified())
                        ? RangeParser.parse(rangeHeader, file.size(), settings.maxRanges())
                        : new RangeOutcome.Whole("If-Range does not match");
        if (outcome instanceof RangeOutcome.Unsatisfiable) {
            reject(exchange, 416, "Range Not Satisfiable", null,
                    h -> h.set("Content-Range", "bytes */" + file.size()));
            return;
        }
        List<ByteRange> ranges = outcome instanceof RangeOutcome.Partial partial ? partial.ranges()
                : file.size() == 0 ? List.of() : List.of(new ByteRange(0, file.size() - 1));
        int status = outcome instanceof RangeOutcome.Partial ? 206 : 200;
        Multipart multipart = ranges.size() > 1 ? Multipart.of(file, ranges) : null;
        long fileBytes = totalLength(ranges);

        if (request.isHead()) {
            entityHeaders(headers, found, status, ranges, multipart, fileBytes);
            exchange.begin(freshId(), status, List.of(), 0, Delivery.NONE);
            end(exchange, status, DownloadEndReason.COMPLETED);
            return;
        }
        acquire(exchange, file).onComplete(acquired -> {
            if (exchange.finished()) {
                acquired.result().ifPresent(UniqueIpGuard.Lease::release);
                return;
            }
            if (acquired.result().isEmpty()) {
                reject(exchange, 503, "Service Unavailable", "this file is already being downloaded from your address",
                        h -> h.set("Retry-After", String.valueOf(settings.retryAfterSeconds())));
                return;
            }
            acquired.result().ifPresent(exchange::lease);
            settings.sessions().downloadId(exchange.client().ip(), request.header("User-Agent"), file.path(),
                    file.etag()).onComplete(id -> {
                        if (exchange.finished()) {
                            return;
                        }
                        entityHeaders(headers, found, status, ranges, multipart, fileBytes);
                        send(exchange, id.succeeded() ? id.result() : freshId(), status, ranges, multipart, fileBytes,
                                content);
                    });
        });
    }

    /** @return a lease (or a no-op one when unique-ip is off); never fails */
    private Future<Optional<UniqueIpGuard.Lease>> acquire(DownloadExchange exchange, FileInfo file) {
        if (settings.uniqueIp() == null) {
            return Future.succeededFuture(Optional.of(() -> {
            }));
        }
        return settings.uniqueIp().tryAcquire(exchange.client().ip(), file.path())
                .recover(e -> Future.succeededFuture(Optional.of(() -> {
                })));
    }

    private void send(DownloadExchange exchange, String downloadId, int status, List<ByteRange> ranges,
            Multipart multipart, long fileBytes, Buffer content) {
        FileInfo file = exchange.file();
        ResponseWriter response = exchange.response();
        response.status(status);
        if (ranges.isEmpty()) {
            exchange.begin(downloadId, status, ranges, 0, Delivery.NONE);
            end(exchange, status, DownloadEndReason.COMPLETED);
            return;
        }
        if (content != null) {
            exchange.begin(downloadId, status, ranges, fileBytes, Delivery.MEMORY);
            write(exchange, blocks(exchange, content, ranges, multipart));
            return;
        }
        MemcachedFileCache cache = settings.cache();
        if (cache != null && cache.eligible(file)) {
            cache.content(file).onComplete(cached -> {
                if (exchange.finished()) {
                    return;
                }
                if (cached.succeeded()) {
                    exchange.begin(downloadId, status, ranges, fileBytes, Delivery.CACHE);
                    write(exchange, blocks(exchange, cached.result(), ranges, multipart));
                } else {
                    fromDisk(exchange, downloadId, status, ranges, multipart, fileBytes);
                }
            });
            return;
        }
        fromDisk(exchange, downloadId, status, ranges, multipart, fileBytes);
    }

    /** @return the body written from memory, in blocks, throttled by the connection's rate limit */
    private Future<Void> blocks(DownloadExchange exchange, Buffer content, List<ByteRange> ranges,
            Multipart multipart) {
        return new BlockWriter(exchange, null, content, ranges,
                multipart == null ? null : multipart.partHeaders(), multipart == null ? null : multipart.trailer(),
                settings.blockSize(), exchange.connection().rateLimit()).start();
    }

    private void fromDisk(DownloadExchange exchange, String downloadId, int status, List<ByteRange> ranges,
            Multipart multipart, long fileBytes) {
        FileInfo file = exchange.file();
        RateLimit rateLimit = exchange.connection().rateLimit();
        if (multipart == null && rateLimit == null) {
            // nothing throttles: zero-copy from the page cache to the socket
            exchange.begin(downloadId, status, ranges, fileBytes, Delivery.SENDFILE);
            ByteRange range = ranges.get(0);
            exchange.response().sendFile(file.file(), range.first(), range.length(), exchange::sendfileTransferred)
                    .onComplete(sent -> {
                        exchange.sendfileResult(sent.succeeded(), range.length());
                        if (sent.succeeded()) {
                            exchange.finish(DownloadEndReason.COMPLETED, null);
                        } else {
                            aborted(exchange, sent.cause());
                        }
                    });
            return;
        }
        exchange.begin(downloadId, status, ranges, fileBytes, Delivery.DISK_BLOCKS);
        // if the client leaves while the file is being opened, the writer is never started: end it here
        exchange.onAbort(() -> exchange.finish(exchange.connection().abortReason(), null));
        vertx.fileSystem().open(file.file().toString(), new OpenOptions().setRead(true).setWrite(false)
                .setCreate(false)).onComplete(opened -> {
                    if (opened.failed()) {
                        if (!exchange.finished()) {
                            error(exchange, opened.cause());
                        }
                        return;
                    }
                    if (exchange.finished()) {
                        opened.result().close();
                        return;
                    }
                    write(exchange, new BlockWriter(exchange, opened.result(), null, ranges,
                            multipart == null ? null : multipart.partHeaders(),
                            multipart == null ? null : multipart.trailer(), settings.blockSize(), rateLimit)
                            .start());
                });
    }

    private void write(DownloadExchange exchange, Future<Void> writing) {
        writing.onComplete(written -> {
            if (written.succeeded()) {
                // the end was written after every block: all of them went out, whatever callbacks are still queued
                exchange.allWritten();
                exchange.finish(DownloadEndReason.COMPLETED, null);
            } else {
                aborted(exchange, written.cause());
            }
        });
    }

    /** A body cut short: the client left, the server closed the connection, or the file failed. */
    private void aborted(DownloadExchange exchange, Throwable cause) {
        if (exchange.finished()) {
            return;
        }
        if (exchange.response().closed() || exchange.connection().abortReason() != DownloadEndReason.CLIENT_ABORTED
                || ConnectionFailures.isConnectionFailure(cause)) {
            exchange.finish(exchange.connection().abortReason(), null);
            return;
        }
        LOG.warnf("download of %s to %s failed: %s", exchange.path(), exchange.client().ip(), cause.getMessage());
        exchange.finish(DownloadEndReason.ERROR, String.valueOf(cause.getMessage()));
        // the headers promised more bytes than will come: the connection cannot be reused
        exchange.connection().connection().close();
    }

    private void validators(HttpHeaders headers, FileLookup.Found found) {
        FileInfo file = found.file();
        // only where a range could be served: a file that was found (RFC 9110 14.3), not a 403 or a 404
        headers.set("Accept-Ranges", settings.maxRanges() > 0 ? "bytes" : "none");
        headers.set("ETag", file.etag());
        headers.set("Last-Modified", found.lastModified());
    }

    private void entityHeaders(HttpHeaders headers, FileLookup.Found found, int status, List<ByteRange> ranges,
            Multipart multipart, long fileBytes) {
        FileInfo file = found.file();
        headers.set("Content-Disposition", found.contentDisposition());
        if (multipart != null) {
            headers.set("Content-Type", multipart.contentType());
            headers.set("Content-Length", String.valueOf(multipart.contentLength()));
        } else {
            headers.set("Content-Type", file.contentType());
            headers.set("Content-Length", String.valueOf(fileBytes));
            if (status == 206) {
                headers.set("Content-Range", ranges.get(0).contentRange(file.size()));
            }
        }
    }

    /** An answer without a body of its own (304, HEAD): the headers are already set. */
    private void end(DownloadExchange exchange, int status, DownloadEndReason reason) {
        ResponseWriter response = exchange.response();
        response.status(status);
        common(exchange);
        if (status == 304) {
            response.headers().remove("Content-Length");
        }
        response.end().onComplete(ended -> {
            if (ended.succeeded()) {
                exchange.finish(reason, null);
            } else {
                exchange.finish(exchange.connection().abortReason(), null);
            }
        });
    }

    /** An answer with a short text body telling why. */
    private void reject(DownloadExchange exchange, int status, String phrase, String detail,
            Consumer<HttpHeaders> extraHeaders) {
        ResponseWriter response = exchange.response();
        HttpHeaders headers = response.headers();
        // a 503 of unique-ip or a 416 come after the entity headers were decided: keep only the validators
        headers.remove("Content-Disposition").remove("Content-Range").remove("Content-Length");
        if (status != 416) {
            // a 412 or a 503 of unique-ip: no range of this answer could be asked for
            headers.remove("Accept-Ranges");
        }
        if (extraHeaders != null) {
            extraHeaders.accept(headers);
        }
        Buffer body = Buffer.buffer(status + " " + phrase + (detail == null ? "" : ": " + detail) + "\n",
                StandardCharsets.UTF_8.name());
        headers.set("Content-Type", "text/plain; charset=UTF-8");
        headers.set("Content-Length", String.valueOf(body.length()));
        headers.set("Cache-Control", "no-store");
        response.status(status);
        common(exchange);
        exchange.begin(freshId(), status, List.of(), 0, Delivery.NONE);
        // the connection is kept by what the request asked; a reply that says close must close it
        boolean close = "close".equalsIgnoreCase(headers.get("Connection"));
        Future<Void> ended = response.end(body);
        ended.onComplete(result -> {
            exchange.finish(result.succeeded() ? DownloadEndReason.REJECTED : exchange.connection().abortReason(), null);
            if (close) {
                exchange.connection().connection().close();
            }
        });
    }

    private void error(DownloadExchange exchange, Throwable cause) {
        if (exchange.finished()) {
            return;
        }
        ResponseWriter response = exchange.response();
        if (response.headWritten()) {
            aborted(exchange, cause);
            return;
        }
        LOG.errorf("download request %s failed: %s", exchange.path(), cause.toString());
        Buffer body = Buffer.buffer("500 Internal Server Error\n");
        response.headers().clear();
        response.headers().set("Content-Type", "text/plain; charset=UTF-8");
        response.headers().set("Content-Length", String.valueOf(body.length()));
        response.status(500);
        common(exchange);
        exchange.begin(freshId(), 500, List.of(), 0, Delivery.NONE);
        Future<Void> ended = response.end(body);
        ended.onComplete(result -> exchange.finish(DownloadEndReason.ERROR, String.valueOf(cause.getMessage())));
    }

    private void common(DownloadExchange exchange) {
        HttpHeaders headers = exchange.response().headers();
        // set once, first: HEAD and GET then list their headers in the same order
        if (!headers.contains("Date")) {
            headers.set("Date", server.date());
        }
    }

    private static String freshId() {
        return UUID.randomUUID().toString();
    }
}
