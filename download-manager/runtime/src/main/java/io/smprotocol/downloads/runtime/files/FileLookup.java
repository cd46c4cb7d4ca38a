package io.smprotocol.downloads.runtime.files;

import io.smprotocol.download.FileInfo;
import io.vertx.core.buffer.Buffer;

/**
 * The outcome of looking a request path up under the root.
 */
public sealed interface FileLookup {

    /**
     * A regular, readable file inside the root.
     *
     * @param file what it is
     * @param content its whole content when it was read with the lookup (small files), else {@code null}
     */
    record Found(FileInfo file, Buffer content) implements FileLookup {

        /** @param file what it is; its content is read when it is sent */
        public Found(FileInfo file) {
            this(file, null);
        }
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
