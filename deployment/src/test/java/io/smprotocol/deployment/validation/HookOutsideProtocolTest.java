package io.smprotocol.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.deployment.TestApps;

/**
 * A hook annotation on a class without {@code @Protocol} would never run: it fails the build, naming the class and
 * the method.
 */
public class HookOutsideProtocolTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of(), NotAProtocol.class)
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains(NotAProtocol.class.getName() + "#ping()")
                    .contains("@OnCommand")
                    .contains("without @Protocol"));

    public static class NotAProtocol {

        @OnCommand("PING")
        String ping() {
            return "+PONG";
        }
    }

    @Test
    void buildFails() {
        // the build's failure is checked by assertException above; QuarkusUnitTest fails this class if the build passes
    }
}
