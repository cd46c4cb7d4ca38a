package io.smprotocol.runtime.hook;

/**
 * What the runtime passes for one hook parameter; decided at build time from the parameter's type.
 */
public enum ArgumentKind {
    /** {@link io.smprotocol.Session} */
    SESSION,
    /** {@link io.smprotocol.Command} */
    COMMAND,
    /** the line as {@code String} */
    LINE,
    /** {@link io.smprotocol.CloseReason} */
    CLOSE_REASON,
    /** the failure, as {@link Throwable} */
    THROWABLE
}
