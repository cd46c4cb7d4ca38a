package io.smprotocol.downloads.runtime.semantics;

import java.util.ArrayList;
import java.util.List;

/**
 * Entity tags: a strong one made from a file's size, modification and status-change times (to the nanosecond) and
 * identity on disk (inode), and the comparisons of RFC 9110 8.8.3.2.
 */
public final class ETags {

    /** The status-change time of a file system that does not tell it: the tag is made without it. */
    public static final long NO_CHANGE_TIME = Long.MIN_VALUE;

    private ETags() {
    }

    /**
     * The inode is part of the tag so that a file replaced by another (rename over it) of the same size and time still
     * gets a new tag; the nanosecond time makes a rewrite in place visible; the status-change time, which no program
     * can set back, makes visible a rewrite that keeps the size and sets the modification time back ({@code touch -r},
     * {@code cp -p}, tools that stamp every file with one fixed time).
     *
     * @param size the file's size
     * @param modifiedNanos its modification time in nanoseconds since the epoch
     * @param changedNanos its status-change time in nanoseconds since the epoch, or {@link #NO_CHANGE_TIME}
     * @param identity the file system's key for the file ({@code BasicFileAttributes.fileKey()}), or {@code null}
     * @return a strong entity tag, quotes included
     */
    public static String strong(long size, long modifiedNanos, long changedNanos, Object identity) {
        StringBuilder tag = new StringBuilder("\"").append(Long.toHexString(size)).append('-')
                .append(Long.toHexString(modifiedNanos));
        if (changedNanos != NO_CHANGE_TIME) {
            tag.append('-').append(Long.toHexString(changedNanos));
        }
        if (identity != null) {
            tag.append('-').append(Integer.toHexString(identity.hashCode()));
        }
        return tag.append('"').toString();
    }

    /**
     * Strong comparison: both tags strong and their opaque parts equal. Used by {@code If-Range} and
     * {@code If-Match}.
     */
    public static boolean strongMatch(String a, String b) {
        return a != null && b != null && !isWeak(a) && !isWeak(b) && a.equals(b);
    }

    /**
     * Weak comparison: the opaque parts equal, whatever the weakness. Used by {@code If-None-Match}.
     */
    public static boolean weakMatch(String a, String b) {
        return a != null && b != null && opaque(a).equals(opaque(b));
    }

    /**
     * @param header an {@code If-Match} or {@code If-None-Match} value
     * @return its entity tags, {@code *} as itself; an empty list when it holds none that parse
     */
    public static List<String> list(String header) {
        List<String> tags = new ArrayList<>();
        if (header == null) {
            return tags;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
            } else if (c == '*') {
                tags.add("*");
                i++;
            } else {
                int start = i;
                if (header.startsWith("W/", i)) {
                    i += 2;
                }
                if (i >= n || header.charAt(i) != '"') {
                    return List.of();
                }
                int close = header.indexOf('"', i + 1);
                if (close < 0) {
                    return List.of();
                }
                tags.add(header.substring(start, close + 1));
                i = close + 1;
            }
        }
        return tags;
    }

    /** @return whether the value is a weak tag ({@code W/"..."}) */
    public static boolean isWeak(String tag) {
        return tag.startsWith("W/");
    }

    /** @return whether the value looks like an entity tag rather than a date (for {@code If-Range}) */
    public static boolean isTag(String value) {
        String v = value.trim();
        return v.startsWith("\"") || v.startsWith("W/\"");
    }

    private static String opaque(String tag) {
        return isWeak(tag) ? tag.substring(2) : tag;
    }
}
