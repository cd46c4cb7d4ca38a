package io.smprotocol.deployment.ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Two protocols on one host and port fail the start, naming both and their keys, instead of sharing the connections.
 */
class TwoProtocolsOnOnePortTest {

    static final String PORT = Integer.toString(PortConflictApps.freePort());

    @RegisterExtension
    static final QuarkusUnitTest TEST = PortConflictApps
            .failingWith("protocol 'first' (quarkus.smprotocol.protocols.first.port=" + PORT,
                    "protocol 'second' (quarkus.smprotocol.protocols.second.port=" + PORT)
            .overrideConfigKey("quarkus.smprotocol.protocols.first.port", PORT)
            .overrideConfigKey("quarkus.smprotocol.protocols.second.port", PORT);

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }
}
