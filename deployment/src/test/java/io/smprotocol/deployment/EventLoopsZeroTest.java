package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.deployment.validation.BuildFailures;

/** {@code event-loops=0} stops the application's start with a message naming the key. */
class EventLoopsZeroTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Nowhere.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.nowhere.port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.nowhere.event-loops", "0")
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains("quarkus.smprotocol.protocols.nowhere.event-loops must be at least 1, not 0"));

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }

    @Protocol("nowhere")
    public static class Nowhere {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }
}
