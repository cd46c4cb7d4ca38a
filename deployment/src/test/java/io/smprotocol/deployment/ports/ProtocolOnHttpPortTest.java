package io.smprotocol.deployment.ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A protocol on Quarkus' HTTP port fails the start, naming quarkus.http.test-port; localhost and 127.0.0.1 are one address.
 */
class ProtocolOnHttpPortTest {

    static final String PORT = Integer.toString(PortConflictApps.freePort());

    @RegisterExtension
    static final QuarkusUnitTest TEST = PortConflictApps
            .failingWith("Quarkus' HTTP server (quarkus.http.test-port=" + PORT, "protocol 'second'")
            .overrideConfigKey("quarkus.http.test-port", PORT)
            .overrideConfigKey("quarkus.http.host", "localhost")
            .overrideConfigKey("quarkus.smprotocol.protocols.second.port", PORT);

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }
}
