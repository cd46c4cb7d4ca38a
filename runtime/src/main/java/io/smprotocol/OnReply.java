package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * In proxy mode, called for each reply the backend sends, before it reaches the client. Parameters: {@link Session},
 * the reply's text as {@code String} (its first line; for a one-line reply, the whole reply). Returning {@code void}
 * or {@code null} passes the reply on unchanged; a {@code String} or {@link Reply} is sent to the client instead of
 * it; {@link Relay#drop()} drops it; {@link Relay#replace(String...)} replaces it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnReply {
}
