package io.smprotocol;

import java.util.Collection;

/**
 * An operation named a listener the application does not have.
 */
public final class UnknownListenerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownListenerException(String name, Collection<String> known) {
        super("No listener named '" + name + "'; the application has " + known);
    }
}
