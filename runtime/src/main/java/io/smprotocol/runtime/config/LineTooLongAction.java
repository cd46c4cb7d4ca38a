package io.smprotocol.runtime.config;

/**
 * What a protocol does after answering an over-long line.
 */
public enum LineTooLongAction {
    /** Discard the rest of the line and go on with the next one. */
    DISCARD,
    /** Close the connection. */
    CLOSE
}
