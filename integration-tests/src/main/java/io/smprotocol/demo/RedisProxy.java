package io.smprotocol.demo;

import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.Command;
import io.smprotocol.OnLine;
import io.smprotocol.Protocol;
import io.smprotocol.codec.RespCodec;

/**
 * A transparent proxy in front of redis-server (127.0.0.1:6380 to 127.0.0.1:6379 in the demo) that counts the
 * commands it relays. RESP framing lets the hook see {@code SET}, not {@code *3}. The hook returns nothing, so every
 * command is forwarded byte for byte; it only counts, so it runs on the event loop.
 */
@Protocol(value = "redis-proxy", codec = RespCodec.class)
public class RedisProxy {

    private final CommandCounts counts;

    public RedisProxy(CommandCounts counts) {
        this.counts = counts;
    }

    @NonBlocking
    @OnLine
    void count(Command command) {
        counts.count(command.verb());
    }
}
