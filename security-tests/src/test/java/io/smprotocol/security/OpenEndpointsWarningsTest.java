package io.smprotocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Both servers on every address with a security extension present: the management interface has a permission but
 * does not authenticate, the HTTP server has no permission. The start warns once for each, naming what is missing.
 */
class OpenEndpointsWarningsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = SecuredApps.app()
            .overrideConfigKey("quarkus.http.host", "0.0.0.0")
            .overrideConfigKey("quarkus.management.enabled", "true")
            .overrideConfigKey("quarkus.management.host", "0.0.0.0")
            .overrideConfigKey("quarkus.management.test-port", "0")
            .overrideConfigKey("quarkus.management.auth.permission.smprotocol.paths", "/q/smprotocol/*")
            .overrideConfigKey("quarkus.management.auth.permission.smprotocol.policy", "authenticated")
            .setLogRecordPredicate(record -> record.getLoggerName().equals("io.smprotocol.management"))
            .assertLogRecords(records -> {
                assertThat(records).hasSize(2).allMatch(record -> record.getLevel().getName().equals("WARN"));
                String management = message(records.stream().filter(r -> r.getMessage().contains("management interface"))
                        .findFirst().orElseThrow());
                assertThat(management).contains("POST /q/smprotocol/restart")
                        .contains("does not authenticate: set quarkus.management.auth.basic=true");
                String http = message(records.stream().filter(r -> r.getMessage().contains("HTTP server"))
                        .findFirst().orElseThrow());
                assertThat(http).contains("Quarkus' HTTP server (0.0.0.0)")
                        .contains("GET /smprotocol/api/downloads", "POST /smprotocol/api/listeners/NAME/restart")
                        .doesNotContain("/q/smprotocol")
                        .contains("no quarkus.http.auth.permission.* guards them")
                        .contains("quarkus.http.auth.permission.<name>.paths=/smprotocol/*");
            });

    private static String message(LogRecord record) {
        return record.getMessage();
    }

    @Test
    void theApplicationStarts() {
        // the assertions are in assertLogRecords, once the application has stopped
    }
}
