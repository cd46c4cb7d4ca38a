package io.smprotocol.downloads.runtime.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.ClientAddress;
import io.smprotocol.download.Delivery;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.download.FileInfo;
import io.smprotocol.downloads.runtime.policy.UniqueIpGuard;

/**
 * One request of the download listener from arrival to end: what was decided, how many file bytes went out, and
 * making sure the observers hear of its start and its end exactly once each. Confined to the connection's event loop.
 */
final class DownloadExchange {

    /** How often at most the progress of a body in flight is told to the observers. */
    static final long PROGRESS_NANOS = 1_000_000_000L;

    private final DownloadServer server;
    private final DownloadConnection connection;
    private final RequestHead request;
    private final ResponseWriter response;
    private final long id;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final ClientAddress client;

    private String path;
    private FileInfo file;
    private volatile DownloadRequest described;
    // volatile: the tracker reads the progress of a response in flight from its own thread
    private volatile long bytesWritten;
    private volatile long sendfileTransferred = -1;
    private boolean finished;
    /** When progress was last told to the observers ({@link System#nanoTime()}), 0 before the first time. */
    private long progressToldAt;
    /** A timer will tell the progress made since it was last told. */
    private boolean progressPending;
    private UniqueIpGuard.Lease lease;
    private Runnable onAbort;

    DownloadExchange(DownloadServer server, DownloadConnection connection, RequestHead request,
            ResponseWriter response, long id, ClientAddress client) {
        this.server = server;
        this.connection = connection;
        this.request = request;
        this.response = response;
        this.id = id;
        this.client = client;
        this.path = request.path();
    }

    RequestHead request() {
        return request;
    }

    ResponseWriter response() {
        return response;
    }

    DownloadConnection connection() {
        return connection;
    }

    ClientAddress client() {
        return client;
    }

    long id() {
        return id;
    }

    void path(String decoded) {
        this.path = decoded;
    }

    String path() {
        return path;
    }

    void file(FileInfo file) {
        this.file = file;
    }

    FileInfo file() {
        return file;
    }

    boolean finished() {
        return finished;
    }

    void lease(UniqueIpGuard.Lease lease) {
        this.lease = lease;
    }

    /** What to stop when the connection closes mid-response (a timer, an open file). */
    void onAbort(Runnable action) {
        this.onAbort = action;
    }

    /** File bytes the connection accepted (a block's write completed). */
    void written(long bytes) {
        bytesWritten += bytes;
        progressed();
    }

    /**
     * Tells the observers how far the body got: at its first bytes, then at most every {@link #PROGRESS_NANOS}, the
     * bytes of the meantime told by a timer, so that a body that stalls (a client that stopped reading) has its last
     * bytes told too; on the event loop.
     */
    private void progressed() {
        if (finished || described == null) {
            return;
        }
        long wait = progressToldAt == 0 ? 0 : progressToldAt + PROGRESS_NANOS - System.nanoTime();
        if (wait <= 0) {
            tellProgress();
            return;
        }
        if (!progressPending) {
            progressPending = true;
            connection.connection().context().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> {
                progressPending = false;
                if (!finished) {
                    tellProgress();
                }
            });
        }
    }

    private void tellProgress() {
        progressToldAt = System.nanoTime();
        server.progressed(described, progress());
    }

    /**
     * Told each time a file region of a {@code sendfile} completed or failed. A file is sent in regions of at most
     * 1 MiB, one after the other: the bytes add up.
     */
    void sendfileTransferred(long bytes) {
        sendfileTransferred = Math.max(0, sendfileTransferred) + bytes;
        progressed();
    }

    long sendfileTransferred() {
        return sendfileTransferred;
    }

    /**
     * The answer is decided: tells the observers.
     */
    void begin(String downloadId, int status, List<ByteRange> ranges, long contentLength, Delivery delivery) {
        if (described != null || finished) {
            return;
        }
        described = new DownloadRequest(id, downloadId, startedAt, request.method().name(), path, client,
                request.header("User-Agent"), request.header("Range"), file, status, ranges, contentLength,
                delivery);
        server.requested(described);
    }

    /** The connection closed before the response ended. */
    void connectionClosed() {
        if (finished) {
            return;
        }
        Runnable abort = onAbort;
        if (abort != null) {
            // the writer fails its future, which ends the exchange with the bytes it counted
            abort.run();
        } else {
            finish(connection.abortReason(), null);
        }
    }

    /**
     * Ends the exchange; only the first call counts.
     *
     * @param reason why it ended
     * @param error what failed, or {@code null}
     */
    void finish(DownloadEndReason reason, String error) {
        if (finished) {
            return;
        }
        finished = true;
        onAbort = null;
        if (lease != null) {
            lease.release();
        }
        if (connection.current() == this) {
            connection.current(null);
        }
        if (described == null) {
            // the client left before an answer was decided: status 0, nothing served
            described = new DownloadRequest(id, null, startedAt, request.method().name(), path, client,
                    request.header("User-Agent"), request.header("Range"), file, 0, List.of(), 0,
                    Delivery.NONE);
            server.requested(described);
        }
        // a sendfile's count comes from Netty as its regions complete, maybe before the close is seen here
        long counted = described.delivery() == Delivery.SENDFILE ? Math.max(bytesWritten, sendfileTransferred)
                : bytesWritten;
        long written = Math.min(counted, described.contentLength());
        server.ended(described, new DownloadEnd(reason, written, Instant.now(),
                Duration.ofNanos(System.nanoTime() - startNanos), error));
        if (connection.draining()) {
            // the listener drains: this response was the connection's last
            connection.connection().close();
        }
    }

    /**
     * @return the file bytes the connection took so far, as far as they were counted (whole blocks; for a
     *         {@code sendfile}, whole regions of up to 1 MiB); readable from any thread
     */
    long progress() {
        DownloadRequest current = described;
        if (current == null) {
            return 0;
        }
        long counted = Math.max(bytesWritten, sendfileTransferred);
        return Math.max(0, Math.min(counted, current.contentLength()));
    }

    /** The response ended successfully: every byte of the body went out. */
    void allWritten() {
        if (described != null) {
            bytesWritten = described.contentLength();
        }
    }

    /** Sets the count for a sendfile, which the exchange cannot count itself. */
    void sendfileResult(boolean completed, long length) {
        if (completed) {
            bytesWritten = length;
        } else if (sendfileTransferred >= 0) {
            bytesWritten = sendfileTransferred;
        }
    }
}
