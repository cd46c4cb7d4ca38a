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
 * Two {@code @Protocol} classes with one name fail the build, naming the name and both classes.
 */
public class DuplicateProtocolNameTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("twin"), FirstTwin.class, SecondTwin.class)
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains("'twin'")
                    .contains(FirstTwin.class.getName())
                    .contains(SecondTwin.class.getName()));

    @Protocol("twin")
    public static class FirstTwin {

        @OnCommand("PING")
        String ping() {
            return "first";
        }
    }

    @Protocol("twin")
    public static class SecondTwin {

        @OnCommand("PING")
        String ping() {
            return "second";
        }
    }

    @Test
    void buildFails() {
        // the build's failure is checked by assertException above; QuarkusUnitTest fails this class if the build passes
    }
}
