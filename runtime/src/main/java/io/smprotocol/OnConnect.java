package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once when a client connects, before any of its lines is handled. A returned {@code String} or
 * {@link Reply} is the greeting. Parameters: {@link Session}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnConnect {
}
