package io.smprotocol.deployment.ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A protocol on the management interface's port fails the start, naming quarkus.management.test-port.
 */
class ProtocolOnManagementPortTest {

    static final String PORT = Integer.toString(PortConflictApps.freePort());

    @RegisterExtension
    static final QuarkusUnitTest TEST = PortConflictApps
            .failingWith("Quarkus' management interface (quarkus.management.test-port=" + PORT, "protocol 'first'")
            .overrideConfigKey("quarkus.management.enabled", "true")
            .overrideConfigKey("quarkus.management.test-port", PORT)
            .overrideConfigKey("quarkus.management.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.first.port", PORT);

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }
}
