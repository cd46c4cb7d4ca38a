package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when another hook of the protocol throws or its asynchronous result fails. Parameters: {@link Session},
 * {@link Throwable}. A returned {@code String} or {@link Reply} is sent to the client instead of the failed hook's
 * reply; the connection stays open unless the reply closes it. Without an {@code @OnError} hook the client gets the
 * protocol's configured error reply ({@code quarkus.smprotocol.protocols."NAME".replies.error}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnError {
}
