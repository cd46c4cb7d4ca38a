package io.smprotocol.downloads.runtime.http;

/**
 * Why a request was refused before the download manager saw it, carried as the decoder result of the request so that
 * the listener's invalid-request handler answers it. No stack trace: it is the client's error, and is never
 * logged with one.
 */
final class RefusedRequest extends RuntimeException {

    private final int status;
    private final String cause;

    /**
     * @param status the answer, 400, 413, 501 or 505
     * @param cause a fixed word for the log and the metrics, such as {@code obs-fold}
     * @param detail what the client sent, or {@code null}
     */
    RefusedRequest(int status, String cause, String detail) {
        super(detail == null ? cause : cause + ": " + detail, null, false, false);
        this.status = status;
        this.cause = cause;
    }

    int status() {
        return status;
    }

    String reason() {
        return cause;
    }
}
