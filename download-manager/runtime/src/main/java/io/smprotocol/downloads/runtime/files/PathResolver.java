package io.smprotocol.downloads.runtime.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import io.smprotocol.download.FileInfo;
import io.smprotocol.downloads.runtime.semantics.ETags;
import io.smprotocol.downloads.runtime.semantics.RequestPath;
import io.vertx.core.buffer.Buffer;
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

    /** The options a small file is opened with, made once: the varargs form builds a set on every call. */
    private static final Set<OpenOption> READ_ONLY = Set.of(StandardOpenOption.READ);

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
     * Reads a found file whole, for a small file whose response is cheaper written from memory together with its
     * headers than with {@code sendfile} (which costs an open, a stat and a close on the event loop besides). The
     * content is used only when the file is, after reading, still the one found: same size, modification time and
     * inode, hence the same entity tag. It costs an open, one read, a close and a stat.
     *
     * @param found a file the lookup found
     * @return the lookup with the file's content; {@code found} as it is when the file changed or could not be read
     *         (it is then sent from disk as usual); {@link FileLookup.Forbidden} when the file may not be read
     */
    public FileLookup withContent(FileLookup.Found found) {
        FileInfo file = found.file();
        byte[] bytes = new byte[(int) file.size()];
        try (FileChannel channel = FileChannel.open(file.file(), READ_ONLY)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // a regular file gives all it has in one read; a shorter one ends at its end
            }
            BasicFileAttributes after = Files.readAttributes(file.file(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (buffer.hasRemaining() || !etag(after).equals(file.etag())) {
                return found;
            }
            return found.withContent(Buffer.buffer(bytes));
        } catch (AccessDeniedException e) {
            return new FileLookup.Forbidden("not readable");
        } catch (IOException e) {
            return found;
        }
    }

    private static String etag(BasicFileAttributes attributes) {
        return ETags.strong(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                attributes.fileKey());
    }

    /**
     * Looks a file up and, when {@code readWhole} accepts its size, reads it with {@link #withContent}: opening it
     * then tells whether it may be read, without a separate access check.
     *
     * @param request the checked request path
     * @param readWhole which file sizes to read whole
     * @return what is there, with the content when it was read
     */
    public FileLookup lookup(RequestPath request, LongPredicate readWhole) {
        FileLookup lookup = find(request);
        if (!(lookup instanceof FileLookup.Found found)) {
            return lookup;
        }
        if (readWhole.test(found.file().size())) {
            return withContent(found);
        }
        return Files.isReadable(found.file().file()) ? found : new FileLookup.Forbidden("not readable");
    }

    private FileLookup find(RequestPath request) {
        try {
            BasicFileAttributes attributes;
            Path candidate;
            if (followSymlinks) {
                // the root itself may be a link an operator made (e.g. to a volume): that is configuration, not a
                // request; what the request reaches must lie inside where it leads
                Path realRoot = root.toRealPath();
                candidate = realRoot;
                for (String segment : request.segments()) {
                    candidate = candidate.resolve(segment);
                }
                candidate = candidate.normalize();
                if (!candidate.startsWith(realRoot)) {
                    return new FileLookup.Forbidden("outside the root");
                }
                Path real = candidate.toRealPath();
                if (!real.startsWith(realRoot)) {
                    return new FileLookup.Forbidden("symbolic link leading out of the root");
                }
                attributes = Files.readAttributes(real, BasicFileAttributes.class);
                candidate = real;
            } else {
                // segments are plain names (RequestPath refuses separators and dot segments): walking them from the
                // root without following links cannot leave it; links in the root's own path are the operator's
                candidate = root;
                attributes = null;
                for (String segment : request.segments()) {
                    candidate = candidate.resolve(segment);
                    attributes = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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
            String name = request.fileName();
            String contentType = MimeMapping.getMimeTypeForFilename(name);
            return new FileLookup.Found(new FileInfo(candidate, request.path(), name, attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.SECONDS),
                    etag(attributes),
                    contentType == null ? "application/octet-stream" : contentType));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new FileLookup.NotFound();
        } catch (IOException e) {
            return new FileLookup.Forbidden("cannot read: " + e.getMessage());
        }
    }
}
