package io.smprotocol.runtime.hook;

/**
 * Where a hook runs; decided at build time from its return type and annotations.
 */
public enum ExecutionModel {
    /** On the connection's event loop: hooks returning {@code Uni} or {@code CompletionStage}, or {@code @NonBlocking}. */
    EVENT_LOOP,
    /** On a worker thread: synchronous hooks, or {@code @Blocking}. */
    WORKER,
    /** On a virtual thread: {@code @RunOnVirtualThread}. */
    VIRTUAL_THREAD
}
