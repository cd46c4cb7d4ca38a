package io.smprotocol.downloads.runtime.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

import io.smprotocol.download.FileInfo;
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
    /** What one {@code stat} of a looked-up file is asked for: its type and its {@link FileStamp}, ctime included. */
    private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,fileKey,isRegularFile,isDirectory,"
            + "isSymbolicLink";

    private final Path root;
    private final boolean followSymlinks;
    private final boolean unixView = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private final LongSupplier clock;

    /**
     * @param root the configured root, relative to the working directory or absolute
     * @param followSymlinks whether links inside the root are followed
     */
    public PathResolver(Path root, boolean followSymlinks) {
        this(root, followSymlinks, System::currentTimeMillis);
    }

    /** @param clock the wall clock, in milliseconds, that {@link FileStamp}s are taken by */
    PathResolver(Path root, boolean followSymlinks, LongSupplier clock) {
        this.root = root.toAbsolutePath().normalize();
        this.followSymlinks = followSymlinks;
        this.clock = clock;
    }

    /** @return the absolute root */
    public Path root() {
        return root;
    }

    /**
     * Reads a found file whole, for a small file whose response is cheaper written from memory together with its
     * headers than with {@code sendfile} (which costs an open, a stat and a close on the event loop besides). The
     * content is used only when the file is, after reading, still the one found: the same {@link FileStamp}, hence
     * the same entity tag. It costs an open, one read, a close and a stat.
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
            Seen after = look(file.file(), LinkOption.NOFOLLOW_LINKS);
            if (buffer.hasRemaining() || !after.stamp().sameFileAs(found.stamp())) {
                return found;
            }
            return found.withContent(Buffer.buffer(bytes));
        } catch (AccessDeniedException e) {
            return new FileLookup.Forbidden("not readable");
        } catch (IOException e) {
            return found;
        }
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
        return lookup(request, readWhole, null);
    }

    /**
     * Looks a file up as {@link #lookup(RequestPath, LongPredicate)} does, but answers with {@code kept} itself when
     * the file is still the one it was read from: a settled {@link FileStamp} that the file system repeats. That
     * costs the walk from the root alone (a {@code stat} per path segment), not the file's open, read and close.
     *
     * @param kept an earlier lookup of the same request path, with the file's content, or {@code null}
     * @return {@code kept} when the file has not changed since it was read, else what is there now
     */
    public FileLookup lookup(RequestPath request, LongPredicate readWhole, FileLookup.Found kept) {
        FileLookup lookup = find(request, kept);
        if (lookup == kept || !(lookup instanceof FileLookup.Found found)) {
            return lookup;
        }
        if (readWhole.test(found.file().size())) {
            return withContent(found);
        }
        return Files.isReadable(found.file().file()) ? found : new FileLookup.Forbidden("not readable");
    }

    private FileLookup find(RequestPath request, FileLookup.Found kept) {
        try {
            Seen seen;
            Path candidate;
            List<String> segments = request.segments();
            if (followSymlinks) {
                // the root itself may be a link an operator made (e.g. to a volume): that is configuration, not a
                // request; what the request reaches must lie inside where it leads
                Path realRoot = root.toRealPath();
                candidate = realRoot;
                for (String segment : segments) {
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
                seen = look(real);
                candidate = real;
            } else if (segments.isEmpty()) {
                return new FileLookup.Forbidden("directory");
            } else {
                // segments are plain names (RequestPath refuses separators and dot segments): walking them from the
                // root without following links cannot leave it; links in the root's own path are the operator's
                candidate = root;
                int last = segments.size() - 1;
                for (int i = 0; i < last; i++) {
                    candidate = candidate.resolve(segments.get(i));
                    BasicFileAttributes attributes = Files.readAttributes(candidate, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isSymbolicLink()) {
                        return symbolicLink();
                    }
                }
                candidate = candidate.resolve(segments.get(last));
                seen = look(candidate, LinkOption.NOFOLLOW_LINKS);
                if (seen.symbolicLink()) {
                    return symbolicLink();
                }
            }
            if (seen.directory()) {
                return new FileLookup.Forbidden("directory");
            }
            if (!seen.regularFile()) {
                return new FileLookup.Forbidden("not a regular file");
            }
            if (request.directory()) {
                return new FileLookup.NotFound();
            }
            FileStamp stamp = seen.stamp();
            if (kept != null && kept.stamp() != null && kept.stamp().settled() && stamp.sameFileAs(kept.stamp())) {
                return kept;
            }
            String name = request.fileName();
            String contentType = MimeMapping.getMimeTypeForFilename(name);
            return new FileLookup.Found(new FileInfo(candidate, request.path(), name, stamp.size(),
                    TimeUnit.NANOSECONDS.toSeconds(stamp.modifiedNanos()),
                    stamp.etag(),
                    contentType == null ? "application/octet-stream" : contentType), stamp, null);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new FileLookup.NotFound();
        } catch (IOException e) {
            return new FileLookup.Forbidden("cannot read: " + e.getMessage());
        }
    }

    private static FileLookup symbolicLink() {
        return new FileLookup.Forbidden("symbolic link (quarkus.smprotocol.download.follow-symlinks is off)");
    }

    /** What one {@code stat} of the last path segment told. */
    private record Seen(FileStamp stamp, boolean symbolicLink, boolean directory, boolean regularFile) {
    }

    /**
     * One {@code stat} of a file, with its status-change time where the file system has the {@code unix} view (Linux,
     * macOS); elsewhere the stamp's change time is unknown, and nothing found there is ever {@link FileStamp#settled()}.
     */
    private Seen look(Path path, LinkOption... options) throws IOException {
        long now = clock.getAsLong();
        if (!unixView) {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, options);
            return new Seen(new FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    FileStamp.UNKNOWN, attributes.fileKey(), now), attributes.isSymbolicLink(),
                    attributes.isDirectory(), attributes.isRegularFile());
        }
        Map<String, Object> attributes = Files.readAttributes(path, UNIX_ATTRIBUTES, options);
        return new Seen(new FileStamp((Long) attributes.get("size"),
                ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS), attributes.get("fileKey"), now),
                (Boolean) attributes.get("isSymbolicLink"), (Boolean) attributes.get("isDirectory"),
                (Boolean) attributes.get("isRegularFile"));
    }
}
