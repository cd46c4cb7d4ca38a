package io.smprotocol.security;

import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;

/** The protocol the tests restart, or fail to. */
@Protocol("echo")
public class Echo {

    @OnCommand("PING")
    String ping() {
        return "PONG";
    }
}
