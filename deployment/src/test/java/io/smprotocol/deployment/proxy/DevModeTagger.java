package io.smprotocol.deployment.proxy;

import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;

/** The proxy protocol DevModeProxyReloadTest edits while it runs: TAG is answered here, the rest forwarded. */
@Protocol("tagger")
public class DevModeTagger {

    @OnCommand("TAG")
    String tag() {
        return "tag one";
    }
}
