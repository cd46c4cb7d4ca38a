package io.smprotocol.downloads.runtime.files;

import java.util.Objects;

import io.smprotocol.downloads.runtime.semantics.ETags;

/**
 * What the file system said of a file at one moment, enough to tell later that it has not changed: its size, its
 * modification and status-change times in nanoseconds, and its identity (device and inode).
 * <p>
 * The status-change time (ctime) is what makes two stamps comparable: the kernel sets it on every write, truncation,
 * {@code chmod}, {@code chown} and {@code utimes}, and no program can set it back, unlike the modification time that
 * {@code touch -r}, {@code cp -p} or {@code rsync -t} copy from another file. It is taken from a coarse clock,
 * though (a tick of a few milliseconds; a file server's own clock on a network file system): two changes within one
 * tick leave the same ctime. Only a stamp whose ctime had {@link #settled()} when it was taken proves that an equal
 * stamp taken later is of the same content.
 *
 * @param size the size in bytes
 * @param modifiedNanos the modification time
 * @param changedNanos the status-change time, or {@link #UNKNOWN} where the file system does not tell it
 * @param fileKey the file's identity (device and inode), or {@code null} where the file system has none
 * @param takenAtMillis this process's wall-clock time when the stamp was taken
 */
public record FileStamp(long size, long modifiedNanos, long changedNanos, Object fileKey, long takenAtMillis) {

    /** The status-change time of a file system that does not tell it (no {@code unix} attribute view). */
    public static final long UNKNOWN = ETags.NO_CHANGE_TIME;

    /**
     * How much older than the moment a stamp was taken its ctime must be for no later change to keep it: well over a
     * kernel's timestamp tick, and a margin for a file server's clock running behind this machine's.
     */
    static final long SETTLE_MILLIS = 2000;

    /** @return whether the file had not changed for a while when this was taken, so any later change shows */
    public boolean settled() {
        return changedNanos != UNKNOWN && changedNanos / 1_000_000 + SETTLE_MILLIS <= takenAtMillis;
    }

    /** @return the file's strong entity tag */
    public String etag() {
        return ETags.strong(size, modifiedNanos, changedNanos, fileKey);
    }

    /** @return whether both stamps say the same of the file, whenever they were taken */
    public boolean sameFileAs(FileStamp other) {
        return other != null && size == other.size && modifiedNanos == other.modifiedNanos
                && changedNanos == other.changedNanos && Objects.equals(fileKey, other.fileKey);
    }
}
