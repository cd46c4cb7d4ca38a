package io.smprotocol.deployment;

import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;

/** The protocol DevModeReloadTest edits while it runs. */
@Protocol("echo")
public class DevModeEcho {

    @OnCommand("HELLO")
    String hello() {
        return "version one";
    }
}
