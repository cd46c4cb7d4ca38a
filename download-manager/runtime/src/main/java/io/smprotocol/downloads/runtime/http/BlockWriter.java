package io.smprotocol.downloads.runtime.http;

import java.util.List;

import io.smprotocol.download.ByteRange;
import io.smprotocol.downloads.runtime.policy.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.impl.ContextInternal;

/**
 * Writes the body of a response in blocks of {@code block-size}, from a file (Vert.x async file reads, never a
 * blocking read on the event loop) or from memory (a cached copy): used whenever {@code sendfile} cannot be, that is
 * for throttled responses, cached ones and {@code multipart/byteranges}.
 * <p>
 * It respects back-pressure (waits for the connection to drain before reading more), paces blocks with the
 * connection's {@link RateLimit}, and counts a block as sent when its write completed.
 */
final class BlockWriter {

    private final ContextInternal context;
    private final DownloadExchange exchange;
    private final ResponseWriter response;
    private final AsyncFile file;
    private final Buffer memory;
    private final List<ByteRange> ranges;
    private final List<Buffer> partHeaders;
    private final Buffer trailer;
    private final int blockSize;
    private final RateLimit rateLimit;
    private final Promise<Void> done = Promise.promise();

    private int index;
    private long position;
    private boolean headerSent;
    private boolean stopped;

    /** What the writer waits for; while it waits, pump() must not start another step. */
    private enum Wait {
        NOTHING,
        DRAIN,
        TIMER,
        READ
    }

    private Wait waiting = Wait.NOTHING;
    private long timer = -1;
    /** The next block, read while the previous one drains, so that disk and socket work at the same time. */
    private Future<Buffer> readAhead;
    private long readAheadPosition = -1;

    /**
     * @param file the file to read, or {@code null} with {@code memory}
     * @param memory the file's content, or {@code null} with {@code file}
     * @param ranges the ranges to send, in order
     * @param partHeaders for multipart, the header of each part (same size as ranges), else {@code null}
     * @param trailer for multipart, the closing boundary, else {@code null}
     * @param rateLimit the connection's rate limit, or {@code null}
     */
    BlockWriter(DownloadExchange exchange, AsyncFile file, Buffer memory, List<ByteRange> ranges,
            List<Buffer> partHeaders, Buffer trailer, int blockSize, RateLimit rateLimit) {
        this.context = exchange.connection().connection().context();
        this.exchange = exchange;
        this.response = exchange.response();
        this.file = file;
        this.memory = memory;
        this.ranges = ranges;
        this.partHeaders = partHeaders;
        this.trailer = trailer;
        this.blockSize = Math.max(1, blockSize);
        this.rateLimit = rateLimit;
    }

    /** @return completes when the response ended, fails when it was cut short or the file could not be read */
    Future<Void> start() {
        exchange.onAbort(this::stop);
        position = ranges.isEmpty() ? 0 : ranges.get(0).first();
        pump();
        return done.future().onComplete(ignored -> closeFile());
    }

    /** Stops at once: the connection is gone. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
        }
        done.tryFail("connection closed");
    }

    private void pump() {
        while (!stopped && waiting == Wait.NOTHING) {
            if (response.writeQueueFull()) {
                waiting = Wait.DRAIN;
                response.onDrain(() -> {
                    if (waiting == Wait.DRAIN) {
                        waiting = Wait.NOTHING;
                        pump();
                    }
                });
                return;
            }
            if (index == ranges.size()) {
                if (trailer != null) {
                    response.writeOnly(trailer);
                }
                stopped = true;
                response.end().onComplete(done);
                return;
            }
            if (!headerSent) {
                headerSent = true;
                if (partHeaders != null) {
                    response.writeOnly(partHeaders.get(index));
                }
                continue;
            }
            ByteRange range = ranges.get(index);
            long remaining = range.last() + 1 - position;
            if (remaining == 0) {
                index++;
                headerSent = false;
                if (index < ranges.size()) {
                    position = ranges.get(index).first();
                }
                continue;
            }
            int length = (int) Math.min(blockSize, remaining);
            long delay = rateLimit == null ? 0 : rateLimit.reserve(length, System.nanoTime());
            if (delay > 0) {
                waiting = Wait.TIMER;
                timer = context.setTimer(delay, id -> {
                    timer = -1;
                    waiting = Wait.NOTHING;
                    send(length);
                });
                return;
            }
            if (memory == null) {
                send(length);
                return;
            }
            // from memory the block is written at once; loop on rather than recurse
            write(memory.slice((int) position, (int) position + length), length);
        }
    }

    /** Sends one block whose rate budget is already reserved, then goes on. */
    private void send(int length) {
        if (stopped) {
            return;
        }
        if (memory != null) {
            write(memory.slice((int) position, (int) position + length), length);
            pump();
            return;
        }
        Future<Buffer> read = readAhead != null && readAheadPosition == position ? readAhead : read(position, length);
        readAhead = null;
        waiting = Wait.READ;
        read.onComplete(result -> {
            waiting = Wait.NOTHING;
            if (stopped) {
                return;
            }
            if (result.failed()) {
                stopped = true;
                done.tryFail(result.cause());
                return;
            }
            if (result.result().length() != length) {
                stopped = true;
                done.tryFail("the file shrank while it was sent");
                return;
            }
            write(result.result(), length);
            readAhead();
            pump();
        });
    }

    /** Starts reading the block after the one just written, within the same range. */
    private void readAhead() {
        long remaining = ranges.get(index).last() + 1 - position;
        if (remaining > 0) {
            readAheadPosition = position;
            readAhead = read(position, (int) Math.min(blockSize, remaining));
        }
    }

    private Future<Buffer> read(long at, int length) {
        return file.read(Buffer.buffer(length), 0, at, length);
    }

    private void write(Buffer block, int length) {
        position += length;
        if (trailer == null && index == ranges.size() - 1 && position == ranges.get(index).last() + 1) {
            // the last block ends the response in the same write: one flush, and a small body goes out with its
            // headers in one segment
            stopped = true;
            response.end(block).onComplete(ended -> {
                if (ended.succeeded()) {
                    exchange.written(length);
                }
                done.handle(ended);
            });
            return;
        }
        response.write(block).onSuccess(v -> exchange.written(length));
    }

    private void closeFile() {
        if (file != null) {
            file.close();
        }
    }
}
