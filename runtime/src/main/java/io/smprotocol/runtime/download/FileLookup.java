package io.smprotocol.runtime.download;

/**
 * The outcome of looking a request path up under the root.
 */
public sealed interface FileLookup {

    /** A regular, readable file inside the root. */
    record Found(FileInfo file) implements FileLookup {
    }

    /** Nothing there (404). */
    record NotFound() implements FileLookup {
    }

    /**
     * Something is there that is not served (403): a directory, a symbolic link, a link leaving the root, a device.
     *
     * @param reason for the log, never shown to the client
     */
    record Forbidden(String reason) implements FileLookup {
    }
}
