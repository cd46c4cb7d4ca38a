package io.smprotocol.runtime.server;

/**
 * The life cycle of one protocol's listener.
 */
public enum ProtocolState {
    /** Not listening: disabled, or stopped by an operator. */
    STOPPED,
    /** Binding its listener. */
    STARTING,
    /** Listening and handling connections. */
    RUNNING,
    /** No longer accepting; open connections finish their work before they are closed. */
    DRAINING,
    /** Could not bind its listener; the reason is kept. */
    FAILED
}
