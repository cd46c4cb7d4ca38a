package io.smprotocol.download;

/**
 * How far the responses in flight have got, as a {@link DownloadObserver} may ask between a request's
 * {@link DownloadObserver#requested} and its {@link DownloadObserver#ended}. The download listener is a bean of this
 * type while the download manager is enabled; inject it with {@code Instance<DownloadProgress>}.
 */
public interface DownloadProgress {

    /**
     * @param requestId a request's {@link DownloadRequest#id()}
     * @return the file bytes its connection took so far, or {@code -1} when it is not in flight; callable from any
     *         thread
     */
    long progress(long requestId);
}
