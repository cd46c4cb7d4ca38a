package io.smprotocol.downloads.runtime.files;

import io.smprotocol.download.FileInfo;
import io.smprotocol.downloads.runtime.semantics.ContentDisposition;
import io.smprotocol.downloads.runtime.semantics.HttpDates;
import io.vertx.core.buffer.Buffer;

/**
 * The outcome of looking a request path up under the root.
 */
public sealed interface FileLookup {

    /**
     * A regular, readable file inside the root.
     *
     * The header values that depend on the file alone are made with the lookup, on its worker, and kept with it in
     * the local cache: each answer then copies them instead of formatting a date and escaping a name again.
     *
     * @param file what it is
     * @param stamp what the file system said of it when it was looked up, or {@code null} when not known
     * @param content its whole content when it was read with the lookup (small files), else {@code null}
     * @param lastModified the {@code Last-Modified} value
     * @param contentDisposition the {@code Content-Disposition} value
     */
    record Found(FileInfo file, FileStamp stamp, Buffer content, String lastModified, String contentDisposition)
            implements
                FileLookup {

        /**
         * @param stamp what the file system said of it, or {@code null}
         * @param content the file's whole content, or {@code null}
         */
        public Found(FileInfo file, FileStamp stamp, Buffer content) {
            this(file, stamp, content, HttpDates.format(file.lastModified()),
                    ContentDisposition.attachment(file.name()));
        }

        /** @param file what it is; its content is read when it is sent */
        public Found(FileInfo file) {
            this(file, null, null);
        }

        /** @return the same file with its content */
        public Found withContent(Buffer content) {
            return new Found(file, stamp, content, lastModified, contentDisposition);
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
