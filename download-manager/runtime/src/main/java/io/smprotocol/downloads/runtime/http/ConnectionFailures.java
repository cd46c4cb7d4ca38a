package io.smprotocol.downloads.runtime.http;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;

import io.vertx.core.http.HttpClosedException;

/**
 * Tells a failure of the client's connection (reset, broken pipe, closed) from one of the server (a file that cannot
 * be read). A client that leaves in the middle of a download is routine: its download ends {@code CLIENT_ABORTED} and
 * nothing is logged above DEBUG.
 */
final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** @return whether the failure, or one of its causes, is the connection's rather than a file's */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FileNotFoundException || t instanceof FileSystemException
                    || t instanceof io.vertx.core.file.FileSystemException) {
                return false;
            }
            if (t instanceof IOException || t instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }
}
