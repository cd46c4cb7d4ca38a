package io.smprotocol;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * One client connection of a protocol, as hooks see it. Hooks of one session run one at a time, in the order the
 * lines arrived, so a hook may keep per-connection state in attributes without synchronisation.
 */
public interface Session {

    /**
     * @return an identifier unique within the application's lifetime
     */
    String id();

    /**
     * @return the protocol's name
     */
    String protocol();

    /**
     * @return the client's address and port
     */
    InetSocketAddress remoteAddress();

    /**
     * @return the local address and port the client connected to
     */
    InetSocketAddress localAddress();

    /**
     * @return when the connection was accepted
     */
    Instant connectedAt();

    /**
     * Sends lines to the client now, outside of a hook's reply (for example from another thread). Each line gets the
     * protocol's line ending. Lines sent after the connection closed are dropped.
     *
     * @param lines the lines to send
     */
    void send(String... lines);

    /**
     * Closes the connection once what was already sent is flushed. {@link OnClose} hooks then see
     * {@link CloseReason#CLOSED_BY_HOOK}.
     */
    void close();

    /**
     * @return whether the connection is still open
     */
    boolean isOpen();

    /**
     * Makes every following line go to the protocol's {@link OnLine} hook as it is, without command parsing and
     * without advancing sequences, until {@link #stopRawLines()}. SMTP's message body after {@code DATA} is the
     * typical use.
     * <p>
     * While raw lines are read, a line that is too long or (in {@code strict-crlf} mode) ends badly is not answered by
     * the framework and reaches no hook: it is counted in {@link #rawLineFaults()}, which this call resets, and the
     * protocol decides at the end of its payload. Lines read one after the other may reach a blocking {@link OnLine}
     * hook in one call of its worker thread, one line after the other, which spares a thread switch per line; the
     * hook sees each line as it would otherwise.
     */
    void startRawLines();

    /**
     * Ends raw-line reading started with {@link #startRawLines()}.
     */
    void stopRawLines();

    /**
     * @return whether lines currently go to {@link OnLine} raw
     */
    boolean readsRawLines();

    /**
     * @return the lines lost since the last {@link #startRawLines()}: too long, or badly ended
     */
    RawLineFaults rawLineFaults();

    /**
     * Starts every {@link OnSequence} of this session again from its first step.
     */
    void resetSequences();

    /**
     * @param name the attribute's name
     * @param <T> the attribute's type
     * @return the attribute, if set
     */
    <T> Optional<T> attribute(String name);

    /**
     * Sets or, with a {@code null} value, removes an attribute kept for the life of the connection.
     *
     * @param name the attribute's name
     * @param value the value, or {@code null} to remove it
     */
    void attribute(String name, Object value);

    /**
     * @param key the attribute's typed key
     * @param <T> the attribute's type
     * @return the attribute, if set
     * @throws ClassCastException naming the attribute when a value of another type was stored under its name
     */
    default <T> Optional<T> attribute(AttributeKey<T> key) {
        return this.<Object> attribute(key.name()).map(key::cast);
    }

    /**
     * Sets or, with a {@code null} value, removes an attribute kept for the life of the connection.
     *
     * @param key the attribute's typed key
     * @param value the value, or {@code null} to remove it
     * @param <T> the attribute's type
     */
    default <T> void attribute(AttributeKey<T> key, T value) {
        attribute(key.name(), value);
    }

    /**
     * The connections of this session's protocol that are open now, this one included: what a chat or a
     * publish/subscribe protocol sends to. A live view: it changes as clients come and go, and iterating it while they
     * do is safe (it sees some of the changes). {@link #send(String...)} to another session is safe from any hook.
     *
     * @return the protocol's open sessions
     */
    Collection<Session> openSessions();

    /**
     * @return bytes received from the client so far
     */
    long bytesIn();

    /**
     * @return bytes sent to the client so far
     */
    long bytesOut();
}
