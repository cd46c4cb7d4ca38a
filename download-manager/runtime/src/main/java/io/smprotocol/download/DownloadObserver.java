package io.smprotocol.download;

/**
 * The download manager's internal listener SPI: an {@code @ApplicationScoped} or {@code @Singleton} bean
 * implementing it sees every request the download listener answers — rejected ones included — with the byte ranges
 * it serves, and the end of each with the exact number of file bytes the client's connection accepted. Download
 * tracking plugs in here.
 * <p>
 * For one request, {@link #requested} is called once, then {@link #progressed} any number of times while its body goes
 * out, then {@link #ended} once. All are called on the connection's event loop: an implementation must not block; it hands
 * anything slow (I/O, a database) to a worker or a queue. An
 * exception thrown by an observer is logged and ignored.
 */
public interface DownloadObserver {

    /**
     * The answer is decided (status, ranges, how the body goes out) and the body is about to be sent.
     *
     * @param request what was asked and what is answered
     */
    void requested(DownloadRequest request);

    /**
     * The body of a request in flight made progress; called at most about once a second per request, and not at
     * all for a body that goes out at once. Lets an observer keep the bytes of a long response (and so survive a
     * crash in its middle) without asking the listener.
     *
     * @param request the same instance {@link #requested} saw
     * @param bytes the file bytes its connection accepted so far, as in {@link DownloadEnd#bytesWritten()}
     */
    default void progressed(DownloadRequest request, long bytes) {
    }

    /**
     * The request is over.
     *
     * @param request the same instance {@link #requested} saw
     * @param end why it ended and how many bytes went out
     */
    void ended(DownloadRequest request, DownloadEnd end);
}
