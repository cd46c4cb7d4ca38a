package io.smprotocol;

/**
 * The life cycle of a listener: a protocol's, or the download manager's.
 */
public enum ListenerState {
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
