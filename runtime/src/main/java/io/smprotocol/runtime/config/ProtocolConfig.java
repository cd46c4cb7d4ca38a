package io.smprotocol.runtime.config;

import java.time.Duration;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import io.smprotocol.codec.LineEnding;

/**
 * Settings of one protocol's listener and connections.
 */
@ConfigGroup
public interface ProtocolConfig {

    /**
     * Whether the protocol's listener starts.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The address to listen on. By default the one Quarkus' HTTP server listens on ({@code quarkus.http.host}): all
     * interfaces ({@code 0.0.0.0}) in production, so that the listener is reachable in a container, and
     * {@code localhost} in dev and test mode.
     */
    @WithDefault("${quarkus.http.host}")
    String host();

    /**
     * The TCP port to listen on; {@code 0} picks a free port. Required for every enabled protocol.
     */
    OptionalInt port();

    /**
     * How many of Vert.x's event loops take this protocol's connections, each connection staying on one; by default
     * all of them ({@code quarkus.vertx.event-loops-pool-size}), and never more. One event loop keeps the protocol on
     * one core, as redis-server is: where the other cores are busy (other services, or the load generator of a
     * benchmark), that serves pipelining clients faster than spreading them over every event loop.
     */
    OptionalInt eventLoops();

    /**
     * The accept backlog of the listening socket (the original's {@code sumaxconn}).
     */
    @WithDefault("1024")
    int backlog();

    /**
     * The most connections open at once on this protocol; further clients get the
     * {@code replies.too-many-connections} line and are closed. {@code 0} means no limit.
     */
    @WithDefault("10000")
    int maxConnections();

    /**
     * The most connections open at once from one client IP address; {@code 0} means no limit.
     */
    @WithDefault("0")
    int maxConnectionsPerIp();

    /**
     * How long a connection may stay without receiving a line (while none of its hooks is running) before it is
     * closed with {@code CloseReason.IDLE_TIMEOUT}. {@code 0} disables the timeout.
     */
    @WithDefault("5M")
    Duration idleTimeout();

    /**
     * When the server closes a connection by itself (a hook, an over-long line, the idle timeout, a refusal, a drain),
     * how long it keeps reading and dropping what the client still sends after shutting its sending side, so that the
     * client reads the last reply rather than a connection reset. It ends sooner when the client closes its side.
     * {@code 0} closes at once.
     */
    @WithDefault("2S")
    Duration lingerTimeout();

    /**
     * The longest line accepted, in bytes, without its line ending; for a codec that groups lines (RESP), the
     * largest command or reply read whole. A longer line never reaches a hook: the client gets
     * {@code replies.line-too-long} and the rest of the line is discarded, or the connection is closed (see
     * {@code line-too-long-action}). A proxy passes a longer line or command on as it arrives instead: hooks see a
     * RESP command's words up to the value that made it too long; an inline RESP command with no line end within
     * this length is forwarded unparsed, for the backend to refuse (Redis itself stops at 64 KiB). It bounds the
     * memory a connection uses for framing.
     */
    @WithDefault("8192")
    int maxLineLength();

    /**
     * Proxy mode: the largest value one command may carry (a RESP bulk string; Redis' own limit,
     * {@code proto-max-bulk-len}, is 512 MB). Values up to it stream through in both directions, the proxy holding at
     * most {@code max-line-length} bytes of them; a command announcing a larger one is forwarded unparsed, and the
     * backend's own error comes back.
     */
    @WithDefault("512M")
    MemorySize maxBulkLength();

    /**
     * How lines end. {@code lenient}: LF or CR LF ends a line. {@code strict-crlf}: only CR LF ends a line; a bare CR
     * or LF makes the line a protocol error, answered with {@code replies.protocol-error}, never a line.
     */
    @WithDefault("lenient")
    LineEnding lineEnding();

    /**
     * What happens after an over-long line was answered: {@code discard} the rest of that line and go on, or
     * {@code close} the connection.
     */
    @WithDefault("discard")
    LineTooLongAction lineTooLongAction();

    /**
     * The character set lines are decoded from and replies encoded to. Bytes that do not decode become U+FFFD.
     */
    @WithDefault("UTF-8")
    String charset();

    /**
     * How long a restart or shutdown waits for connections to finish their in-flight hooks before closing them.
     */
    @WithDefault("30S")
    Duration drainTimeout();

    /**
     * The lines the protocol sends by itself.
     */
    RepliesConfig replies();

    /**
     * Proxy mode: the backend to forward to.
     */
    ForwardConfig forward();

    /** @return whether the protocol proxies to a backend */
    default boolean proxies() {
        return forward().host().isPresent();
    }
}
