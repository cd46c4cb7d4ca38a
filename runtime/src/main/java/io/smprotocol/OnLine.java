package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called for each line that no {@link OnCommand} hook takes, and for every line while the session reads raw
 * lines ({@link Session#startRawLines()}). Parameters: {@link Session}, the line as {@code String}, {@link Command}.
 * A returned {@code String} or {@link Reply} is sent to the client; {@code void} or {@code null} sends nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnLine {
}
