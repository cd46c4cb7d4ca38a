package io.smprotocol.deployment.ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A protocol on every interface (0.0.0.0) and another on the test-mode default, localhost, with the same port
 * overlap: the start fails.
 */
class WildcardAndSpecificHostTest {

    static final String PORT = Integer.toString(PortConflictApps.freePort());

    @RegisterExtension
    static final QuarkusUnitTest TEST = PortConflictApps
            .failingWith("protocol 'first'", "host 0.0.0.0", "protocol 'second'", "host localhost")
            .overrideConfigKey("quarkus.smprotocol.protocols.first.host", "0.0.0.0")
            .overrideConfigKey("quarkus.smprotocol.protocols.first.port", PORT)
            .overrideConfigKey("quarkus.smprotocol.protocols.second.port", PORT);

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }
}
