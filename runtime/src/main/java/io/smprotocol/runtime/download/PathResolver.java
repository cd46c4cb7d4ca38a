package io.smprotocol.runtime.download;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

import io.vertx.core.http.impl.MimeMapping;

/**
 * Finds the file a checked {@link RequestPath} names under the root, on the file system. It blocks (it stats each
 * path component), so it runs on a worker thread, never on an event loop.
 * <p>
 * With symbolic links off (the default), every component from the root down is looked at without following links,
 * and a link anywhere is refused: the file system cannot be made to lead out of the root. With links on, the real path
 * of the file must still lie inside the real path of the root.
 */
public final class PathResolver {

    private final Path root;
    private final boolean followSymlinks;

    /**
     * @param root the configured root, relative to the working directory or absolute
     * @param followSymlinks whether links inside the root are followed
     */
    public PathResolver(Path root, boolean followSymlinks) {
        this.root = root.toAbsolutePath().normalize();
        this.followSymlinks = followSymlinks;
    }

    /** @return the absolute root */
    public Path root() {
        return root;
    }

    /**
     * @param request the checked request path
     * @return what is there
     */
    public FileLookup lookup(RequestPath request) {
        try {
            // the root itself may be a link an operator made (e.g. to a volume): that is configuration, not a request
            Path realRoot = root.toRealPath();
            Path candidate = realRoot;
            for (String segment : request.segments()) {
                candidate = candidate.resolve(segment);
            }
            candidate = candidate.normalize();
            if (!candidate.startsWith(realRoot)) {
                return new FileLookup.Forbidden("outside the root");
            }
            BasicFileAttributes attributes;
            if (followSymlinks) {
                Path real = candidate.toRealPath();
                if (!real.startsWith(realRoot)) {
                    return new FileLookup.Forbidden("symbolic link leading out of the root");
                }
                attributes = Files.readAttributes(real, BasicFileAttributes.class);
                candidate = real;
            } else {
                Path walk = realRoot;
                attributes = null;
                for (String segment : request.segments()) {
                    walk = walk.resolve(segment);
                    attributes = Files.readAttributes(walk, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isSymbolicLink()) {
                        return new FileLookup.Forbidden("symbolic link (quarkus.smprotocol.download.follow-symlinks"
                                + " is off)");
                    }
                }
                if (attributes == null) {
                    return new FileLookup.Forbidden("directory");
                }
            }
            if (attributes.isDirectory()) {
                return new FileLookup.Forbidden("directory");
            }
            if (!attributes.isRegularFile()) {
                return new FileLookup.Forbidden("not a regular file");
            }
            if (request.directory()) {
                return new FileLookup.NotFound();
            }
            if (!Files.isReadable(candidate)) {
                return new FileLookup.Forbidden("not readable");
            }
            long nanos = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            String name = request.fileName();
            String contentType = MimeMapping.getMimeTypeForFilename(name);
            return new FileLookup.Found(new FileInfo(candidate, request.path(), name, attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.SECONDS),
                    ETags.strong(attributes.size(), nanos, attributes.fileKey()),
                    contentType == null ? "application/octet-stream" : contentType));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new FileLookup.NotFound();
        } catch (IOException e) {
            return new FileLookup.Forbidden("cannot read: " + e.getMessage());
        }
    }
}
