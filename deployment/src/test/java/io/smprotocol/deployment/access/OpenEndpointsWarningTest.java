package io.smprotocol.deployment.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.deployment.TestApps;

/**
 * The management interface on every address, without a security extension: the start warns once, naming the open
 * operations, that a security extension is needed, and the permission setting to guard them with.
 */
class OpenEndpointsWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of())
            .overrideConfigKey("quarkus.management.enabled", "true")
            .overrideConfigKey("quarkus.management.host", "0.0.0.0")
            .overrideConfigKey("quarkus.management.test-port", "0")
            .setLogRecordPredicate(record -> record.getLoggerName().equals("io.smprotocol.management"))
            .assertLogRecords(records -> {
                assertThat(records).hasSize(1);
                assertThat(records.get(0).getLevel().getName()).isEqualTo("WARN");
                assertThat(records.get(0).getMessage())
                        .contains("Quarkus' management interface (0.0.0.0)")
                        .contains("POST /q/smprotocol/restart", "POST /q/smprotocol/protocols/NAME/stop")
                        .contains("no security extension")
                        .contains("quarkus.management.auth.permission.<name>.paths=/q/smprotocol/*");
            });

    @Test
    void theApplicationStarts() {
        // the assertion is in assertLogRecords, once the application has stopped
    }
}
