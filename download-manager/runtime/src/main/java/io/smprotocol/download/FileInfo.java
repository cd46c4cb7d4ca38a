package io.smprotocol.download;

import java.nio.file.Path;

/**
 * A regular file under the root, as found when a request was handled.
 *
 * @param file where it is on disk
 * @param path the request path it was found by, decoded, with a leading {@code /}
 * @param name its file name, for {@code Content-Disposition}
 * @param size its size in bytes
 * @param lastModified its modification time in whole seconds since the epoch ({@code Last-Modified})
 * @param etag its strong entity tag
 * @param contentType its media type, guessed from the name
 */
public record FileInfo(Path file, String path, String name, long size, long lastModified, String etag,
        String contentType) {
}
