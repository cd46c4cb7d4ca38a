package io.smprotocol.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.Session;
import io.smprotocol.deployment.TestApps;

/**
 * A hook parameter of a type the runtime cannot pass fails the build, naming the class, the method and the type.
 */
public class UnsupportedParameterTypeTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("bad-parameter"), BadParameterProtocol.class)
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains(BadParameterProtocol.class.getName() + "#when()")
                    .contains("@OnCommand")
                    .contains("parameter 2")
                    .contains(Instant.class.getName()));

    @Protocol("bad-parameter")
    public static class BadParameterProtocol {

        @OnCommand("WHEN")
        String when(Session session, Instant now) {
            return "250 " + now;
        }
    }

    @Test
    void buildFails() {
        // the build's failure is checked by assertException above; QuarkusUnitTest fails this class if the build passes
    }
}
