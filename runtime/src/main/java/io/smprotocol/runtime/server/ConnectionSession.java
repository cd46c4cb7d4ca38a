package io.smprotocol.runtime.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.smprotocol.RawLineFaults;
import io.smprotocol.Session;

/**
 * A connection as its hooks see it: who it is, writing to it and closing it, raw-line reading and its faults, and the
 * attributes hooks keep on it. Callable from any thread: what must happen on the connection's event loop goes there
 * through {@link Connection}.
 */
final class ConnectionSession implements Session {

    private final Connection connection;
    private final Instant connectedAt = Instant.now();
    private volatile boolean rawLines;
    private volatile long rawTooLong;
    private volatile long rawBareLineEndings;
    /** Made at the first attribute set: most connections never set any. */
    private volatile Map<String, Object> attributes;

    ConnectionSession(Connection connection) {
        this.connection = connection;
    }

    /** Counts a fault of a raw line, for {@link #rawLineFaults()}; on the connection's event loop. */
    void rawFault(boolean tooLong) {
        if (tooLong) {
            rawTooLong++;
        } else {
            rawBareLineEndings++;
        }
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public String protocol() {
        return connection.server().name();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(connection.clientIp(), connection.socket().remoteAddress().port());
    }

    @Override
    public InetSocketAddress localAddress() {
        io.vertx.core.net.SocketAddress local = connection.socket().localAddress();
        return new InetSocketAddress(local.hostAddress(), local.port());
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public void send(String... lines) {
        connection.send(List.of(lines));
    }

    @Override
    public void close() {
        connection.closeFromHook();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void startRawLines() {
        rawTooLong = 0;
        rawBareLineEndings = 0;
        rawLines = true;
    }

    @Override
    public void stopRawLines() {
        rawLines = false;
    }

    @Override
    public boolean readsRawLines() {
        return rawLines;
    }

    @Override
    public RawLineFaults rawLineFaults() {
        return new RawLineFaults(rawTooLong, rawBareLineEndings);
    }

    @Override
    public void resetSequences() {
        connection.resetSequences();
    }

    @Override
    public Collection<Session> openSessions() {
        return connection.server().sessions();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(String name) {
        Map<String, Object> map = attributes;
        return map == null ? Optional.empty() : Optional.ofNullable((T) map.get(name));
    }

    @Override
    public void attribute(String name, Object value) {
        if (value == null) {
            Map<String, Object> map = attributes;
            if (map != null) {
                map.remove(name);
            }
        } else {
            attributesToWrite().put(name, value);
        }
    }

    /** @return the attribute map, made once even when hooks on two threads set their first attributes at once */
    private Map<String, Object> attributesToWrite() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public long bytesIn() {
        return connection.bytesIn();
    }

    @Override
    public long bytesOut() {
        return connection.bytesOut();
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
