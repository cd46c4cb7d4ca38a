package io.smprotocol.runtime.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keys for listeners bound on port 0. Vert.x shares one listening socket among the servers of one kind bound to the
 * same host and port; for port 0 it shares a random port among servers given the same negative port. Each start of a
 * port-0 listener takes a key of its own, far from the small negative ports other users of Vert.x take (Quarkus binds
 * its HTTP servers on {@code -1} for port 0): sharing their socket would hand our connections to them.
 */
public final class RandomPorts {

    private static final AtomicInteger KEYS = new AtomicInteger(1_000_000);

    private RandomPorts() {
    }

    /**
     * @param configured the configured port
     * @return the port to bind: the configured one, or a fresh negative key for port 0
     */
    public static int bindable(int configured) {
        return configured == 0 ? -KEYS.incrementAndGet() : configured;
    }
}
