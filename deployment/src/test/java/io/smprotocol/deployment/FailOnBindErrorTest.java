package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.deployment.validation.BuildFailures;

/**
 * With quarkus.smprotocol.fail-on-bind-error=true a protocol that cannot bind fails the application's start, with a
 * message naming the protocol, the address and the setting.
 */
class FailOnBindErrorTest {

    static final ServerSocket TAKEN = PortTakenTest.take();

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Strict.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.fail-on-bind-error", "true")
            .overrideConfigKey("quarkus.smprotocol.protocols.strict.port", Integer.toString(TAKEN.getLocalPort()))
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    // in test mode a protocol listens where Quarkus' HTTP server does: localhost
                    .contains("[strict] cannot listen on localhost:" + TAKEN.getLocalPort())
                    .contains("fail-on-bind-error"));

    @AfterAll
    static void release() throws IOException {
        TAKEN.close();
    }

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }

    @Protocol("strict")
    public static class Strict {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }
}
