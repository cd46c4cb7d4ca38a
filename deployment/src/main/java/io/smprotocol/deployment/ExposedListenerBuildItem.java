package io.smprotocol.deployment;

import java.time.Duration;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * A listener of the application that takes connections from outside the pod, as its configuration reads when the
 * application is built: each extension with listeners produces one per enabled listener, and the Kubernetes
 * manifests declare each as a named container and Service port.
 */
public final class ExposedListenerBuildItem extends MultiBuildItem {

    private final String listener;
    private final String portProperty;
    private final int port;
    private final Duration drainTimeout;

    /**
     * @param listener the listener's name, the base of its port's name in the manifests
     * @param portProperty the configuration key of its port, which the manifests name as the value's source
     * @param port the port as configured; {@code 0} (a free port at start) cannot be declared
     * @param drainTimeout how long a graceful shutdown may wait for its connections
     */
    public ExposedListenerBuildItem(String listener, String portProperty, int port, Duration drainTimeout) {
        this.listener = listener;
        this.portProperty = portProperty;
        this.port = port;
        this.drainTimeout = drainTimeout;
    }

    public String listener() {
        return listener;
    }

    public String portProperty() {
        return portProperty;
    }

    public int port() {
        return port;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }
}
