package io.smprotocol.downloads.runtime.http;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.function.LongConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * The answer to one request, written as Netty HTTP messages: a small answer as one message (head and body encoded
 * into one buffer, one write, one flush), a longer one as its head followed by blocks or by zero-copy file regions.
 * Always answers as HTTP/1.1 (RFC 9110 section 2.5); tells the client whether the connection stays open.
 * Confined to the connection's event loop.
 */
final class ResponseWriter {

    /** The largest file region written at once: a long {@code sendfile} is told in steps, and never stalls a loop. */
    static final long MAX_REGION = 1024 * 1024;
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private final HttpChannel channel;
    private final boolean head;
    private final boolean keepAlive;
    private final boolean http10;
    private final HttpHeaders headers = HEADERS.newHeaders();
    private HttpResponseStatus status = HttpResponseStatus.OK;
    private boolean headWritten;
    private boolean ended;

    ResponseWriter(HttpChannel channel, HttpRequest request, boolean keepAlive) {
        this.channel = channel;
        this.head = request.method() == HttpMethod.HEAD;
        this.keepAlive = keepAlive;
        this.http10 = request.protocolVersion().minorVersion() == 0;
    }

    HttpHeaders headers() {
        return headers;
    }

    void status(int code) {
        status = HttpResponseStatus.valueOf(code);
    }

    int status() {
        return status.code();
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** @return whether the status line and headers were written */
    boolean headWritten() {
        return headWritten;
    }

    /** @return whether the connection is closed */
    boolean closed() {
        return channel.closed();
    }

    /** @return whether the connection queues what it is given in memory: wait for {@link #onDrain} */
    boolean writeQueueFull() {
        return !channel.writable();
    }

    /** Runs once when the connection takes more again. */
    void onDrain(Runnable waiter) {
        channel.onDrain(waiter);
    }

    /** Ends the answer with no body (or, for a {@code HEAD}, none sent). */
    Future<Void> end() {
        return end((ByteBuf) null);
    }

    /** Ends the answer with this last part of its body (not sent for a {@code HEAD}). */
    Future<Void> end(Buffer body) {
        return end(body == null ? null : body.getByteBuf());
    }

    private Future<Void> end(ByteBuf body) {
        ByteBuf content = body == null || head ? Unpooled.EMPTY_BUFFER : body;
        Object message;
        if (!headWritten) {
            prepareHead();
            message = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, headers,
                    EmptyHttpHeaders.INSTANCE);
        } else {
            message = content.isReadable() ? new DefaultLastHttpContent(content) : LastHttpContent.EMPTY_LAST_CONTENT;
        }
        ended = true;
        Future<Void> written = channel.write(message);
        channel.ended(this, written);
        return written;
    }

    /** Writes part of the body, the head first if it was not written yet. */
    Future<Void> write(Buffer block) {
        writeHead();
        return channel.write(new DefaultHttpContent(block.getByteBuf()));
    }

    /**
     * Writes part of the body with no completion to tell: a failure closes the connection, and the answer ends with
     * it.
     */
    void writeOnly(Buffer block) {
        writeHead();
        channel.writeOnly(new DefaultHttpContent(block.getByteBuf()));
    }

    /**
     * Sends part of a file zero-copy, in regions of at most {@link #MAX_REGION}, each written once the one before it
     * went out, then ends the answer.
     *
     * @param transferred told the bytes of each region as its write completes or fails
     * @return completes when the answer ended, fails when the file could not be opened or the connection failed
     */
    Future<Void> sendFile(Path file, long offset, long length, LongConsumer transferred) {
        RandomAccessFile opened;
        try {
            opened = new RandomAccessFile(file.toFile(), "r");
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        writeHead();
        Promise<Void> sent = Promise.promise();
        region(opened, offset, length, transferred, sent);
        return sent.future().compose(v -> end(), failure -> {
            closeQuietly(opened);
            return Future.failedFuture(failure);
        });
    }

    private void region(RandomAccessFile file, long offset, long remaining, LongConsumer transferred,
            Promise<Void> sent) {
        long length = Math.min(MAX_REGION, remaining);
        boolean last = length == remaining;
        DefaultFileRegion region = new DefaultFileRegion(file.getChannel(), offset, length);
        if (!last) {
            // Netty releases a region once written, which closes its file: the next region still needs it
            region.retain();
        }
        ChannelPromise promise = channel.newPromise();
        promise.addListener(done -> {
            transferred.accept(region.transferred());
            if (!done.isSuccess()) {
                sent.tryFail(done.cause());
            } else if (last) {
                sent.tryComplete();
            } else {
                region(file, offset + length, remaining - length, transferred, sent);
            }
        });
        channel.write(region, promise);
    }

    private void writeHead() {
        if (!headWritten) {
            prepareHead();
            channel.writeOnly(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers));
        }
    }

    private void prepareHead() {
        headWritten = true;
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /** @return whether the answer was ended: its last write is queued */
    boolean ended() {
        return ended;
    }

    private static void closeQuietly(RandomAccessFile file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
