package io.smprotocol.downloads.runtime.http;

import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadObserver;
import io.smprotocol.download.DownloadRequest;

/**
 * The observers the listener tells of each request: its start, its progress and its end, in that order for each
 * request. An observer that throws is logged and the others are still told.
 */
final class DownloadObservers {

    static final DownloadObservers NONE = new DownloadObservers(List.of());

    private static final Logger LOG = Logger.getLogger("io.smprotocol.download");

    private final List<DownloadObserver> observers;

    DownloadObservers(List<DownloadObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    void requested(DownloadRequest request) {
        tell(observer -> observer.requested(request));
    }

    /** The body of a request in flight went on; at most about once a second per request. */
    void progressed(DownloadRequest request, long bytes) {
        tell(observer -> observer.progressed(request, bytes));
    }

    void ended(DownloadRequest request, DownloadEnd end) {
        tell(observer -> observer.ended(request, end));
    }

    private void tell(Consumer<DownloadObserver> event) {
        for (DownloadObserver observer : observers) {
            try {
                event.accept(observer);
            } catch (RuntimeException e) {
                LOG.errorf(e, "download observer %s failed", observer.getClass().getName());
            }
        }
    }
}
