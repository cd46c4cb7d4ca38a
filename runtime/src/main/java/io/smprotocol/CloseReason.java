package io.smprotocol;

/**
 * Why a connection closed, as {@link OnClose} hooks see it.
 */
public enum CloseReason {
    /** The client closed the connection. */
    CLIENT_CLOSED,
    /** A hook's {@link Reply} asked to close, or the application called {@link Session#close()}. */
    CLOSED_BY_HOOK,
    /** No line arrived within the protocol's {@code idle-timeout}. */
    IDLE_TIMEOUT,
    /** A line exceeded {@code max-line-length} and the protocol is set to close on it. */
    LINE_TOO_LONG,
    /** The protocol was restarted. */
    SERVER_RESTART,
    /** The application is shutting down. */
    SERVER_SHUTDOWN,
    /** Proxy mode: the backend closed its connection, or could not be reached. */
    BACKEND_CLOSED,
    /** What the client sent could not be read by the protocol's codec. */
    PROTOCOL_ERROR,
    /** The connection failed (reset, I/O error). */
    ERROR
}
