package io.smprotocol.codec;

/**
 * How a protocol's lines end.
 */
public enum LineEnding {
    /** Only CR LF ends a line; a bare CR or LF is a protocol error. */
    STRICT_CRLF,
    /** LF or CR LF ends a line. */
    LENIENT
}
