package io.smprotocol.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.deployment.TestApps;

/**
 * Two {@code @OnCommand} hooks for one verb in one protocol (verbs compare case-insensitively) fail the build,
 * naming the class and both methods.
 */
public class DuplicateCommandVerbTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("twice"), TwiceProtocol.class)
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains(TwiceProtocol.class.getName() + "#hello()")
                    .contains(TwiceProtocol.class.getName() + "#helloAgain()")
                    .contains("HELO"));

    @Protocol("twice")
    public static class TwiceProtocol {

        @OnCommand("HELO")
        String hello() {
            return "250 hello";
        }

        @OnCommand("helo")
        String helloAgain() {
            return "250 hello again";
        }
    }

    @Test
    void buildFails() {
        // the build's failure is checked by assertException above; QuarkusUnitTest fails this class if the build passes
    }
}
