package io.smprotocol.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnSequence;
import io.smprotocol.Protocol;
import io.smprotocol.deployment.TestApps;

/**
 * An {@code @OnSequence} without steps fails the build, naming the class and the method.
 */
public class EmptySequenceTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("empty-sequence"), EmptySequenceProtocol.class)
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains(EmptySequenceProtocol.class.getName() + "#never()")
                    .contains("@OnSequence")
                    .contains("empty"));

    @Protocol("empty-sequence")
    public static class EmptySequenceProtocol {

        @OnSequence({})
        String never() {
            return "250 never";
        }
    }

    @Test
    void buildFails() {
        // the build's failure is checked by assertException above; QuarkusUnitTest fails this class if the build passes
    }
}
