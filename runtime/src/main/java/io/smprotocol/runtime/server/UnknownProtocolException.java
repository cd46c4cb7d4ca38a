package io.smprotocol.runtime.server;

import java.util.Collection;

/**
 * An operation named a protocol the application does not have.
 */
public final class UnknownProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownProtocolException(String name, Collection<String> known) {
        super("No protocol named '" + name + "'; the application has " + known);
    }
}
