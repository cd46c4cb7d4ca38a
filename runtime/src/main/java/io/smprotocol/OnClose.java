package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once when a connection has closed, after every hook of that connection has finished. Parameters:
 * {@link Session}, {@link CloseReason}. Returns {@code void}, or a {@code Uni<Void>} / {@code CompletionStage<Void>}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnClose {
}
