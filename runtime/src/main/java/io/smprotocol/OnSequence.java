package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when a session's commands complete the sequence {@link #value()} in order.
 * <p>
 * Other commands may come between the steps: {@code MAIL, RCPT, RCPT, NOOP, DATA} completes
 * {@code {"MAIL", "RCPT", "DATA"}}. The hook runs after the hook of the command that completed the sequence, and
 * the sequence then starts again from its first step. {@link Session#resetSequences()} starts every sequence of the
 * session again (SMTP's {@code RSET}). Lines read while the session reads raw lines are not commands and never
 * advance a sequence.
 * <p>
 * Parameters: {@link Session}, {@link Command} (the command that completed the sequence). A returned
 * {@code String} or {@link Reply} is sent to the client.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnSequence {

    /**
     * @return the command verbs of the sequence, in order; at least one
     */
    String[] value();
}
