package io.smprotocol.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.deployment.TestApps;

/**
 * A hook returning something the runtime cannot send fails the build, naming the class, the method and the type.
 */
public class UnsupportedReturnTypeTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("bad-return"), BadReturnProtocol.class)
            .assertException(failure -> assertThat(BuildFailures.allMessages(failure))
                    .contains(BadReturnProtocol.class.getName() + "#count()")
                    .contains("@OnCommand")
                    .contains("return type")
                    .contains("Integer"));

    @Protocol("bad-return")
    public static class BadReturnProtocol {

        @OnCommand("COUNT")
        Uni<Integer> count() {
            return Uni.createFrom().item(42);
        }
    }

    @Test
    void buildFails() {
        // the build's failure is checked by assertException above; QuarkusUnitTest fails this class if the build passes
    }
}
