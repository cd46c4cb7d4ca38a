package io.smprotocol.runtime.hook;

/**
 * The hook annotations a protocol method can carry.
 */
public enum HookKind {
    CONNECT,
    LINE,
    COMMAND,
    SEQUENCE,
    CLOSE,
    ERROR,
    REPLY
}
