package io.smprotocol.deployment;

/**
 * A protocol or hook declaration the build rejects; the message names the class and the method.
 */
public final class HookDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HookDefinitionException(String message) {
        super(message);
    }
}
