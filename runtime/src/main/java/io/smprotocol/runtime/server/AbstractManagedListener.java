package io.smprotocol.runtime.server;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.smprotocol.ListenerState;

/**
 * What every listener keeps for operators, whatever it serves: its state and why it failed, the port it bound, when
 * and how often it started, and the connections it accepted and refused. Protocol listeners and the download listener
 * update these fields in their own life cycle; the readings are the same for both.
 */
public abstract class AbstractManagedListener implements ManagedListener {

    protected volatile ListenerState state = ListenerState.STOPPED;
    protected volatile String failure;
    protected volatile int actualPort = -1;
    protected volatile Instant startedAt;
    protected final AtomicLong starts = new AtomicLong();
    protected final AtomicLong accepted = new AtomicLong();
    protected final AtomicLong refused = new AtomicLong();

    @Override
    public ListenerState state() {
        return state;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** @return the port listened on, or -1 when not listening */
    @Override
    public int port() {
        return state == ListenerState.RUNNING || state == ListenerState.DRAINING ? actualPort : -1;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public long starts() {
        return starts.get();
    }

    @Override
    public long acceptedConnections() {
        return accepted.get();
    }

    @Override
    public long refusedConnections() {
        return refused.get();
    }
}
