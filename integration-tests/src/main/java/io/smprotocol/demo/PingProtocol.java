package io.smprotocol.demo;

import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.Reply;

/**
 * Redis' inline PING, so that {@code redis-benchmark -p 6390 -t ping_inline} drives it. The hooks do no I/O, so they
 * run on the event loop.
 */
@Protocol("ping")
public class PingProtocol {

    @NonBlocking
    @OnCommand("PING")
    String ping() {
        return "+PONG";
    }

    @NonBlocking
    @OnCommand("QUIT")
    Reply quit() {
        return Reply.close("+OK");
    }
}
