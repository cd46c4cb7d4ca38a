package io.smprotocol.deployment.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.deployment.TestApps;

/** Open endpoints that only this machine reaches (the management interface on 127.0.0.1) are no reason to warn. */
class LoopbackNoWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of())
            .overrideConfigKey("quarkus.management.enabled", "true")
            .overrideConfigKey("quarkus.management.host", "127.0.0.1")
            .overrideConfigKey("quarkus.management.test-port", "0")
            .overrideConfigKey("quarkus.http.host", "0.0.0.0")
            .setLogRecordPredicate(record -> record.getLoggerName().equals("io.smprotocol.management"))
            .assertLogRecords(records -> assertThat(records).isEmpty());

    @Test
    void theApplicationStarts() {
        // the assertion is in assertLogRecords, once the application has stopped
    }
}
