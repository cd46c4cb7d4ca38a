package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called for each line whose command verb (its first token, compared case-insensitively) is {@link #value()}.
 * Parameters: {@link Session}, {@link Command}, the line as {@code String}. A returned {@code String} or
 * {@link Reply} is sent to the client; {@code void} or {@code null} sends nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnCommand {

    /**
     * @return the command verb, for example {@code "HELO"}; one hook per verb in a protocol
     */
    String value();
}
