package io.smprotocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * No management interface: the management endpoints are on the HTTP server, on every address. A permission guards
 * the stats API but not {@code /q/smprotocol}: the one warning names the management operations only, and the
 * HTTP permission setting (the management one would not apply here).
 */
class ManagementOnHttpServerWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = SecuredApps.app()
            .overrideConfigKey("quarkus.http.host", "0.0.0.0")
            .overrideConfigKey("quarkus.http.auth.permission.stats.paths", "/smprotocol/*")
            .overrideConfigKey("quarkus.http.auth.permission.stats.policy", "authenticated")
            .setLogRecordPredicate(record -> record.getLoggerName().equals("io.smprotocol.management"))
            .assertLogRecords(records -> {
                assertThat(records).hasSize(1);
                assertThat(records.get(0).getMessage()).contains("Quarkus' HTTP server (0.0.0.0)")
                        .contains("POST /q/smprotocol/restart", "POST /q/smprotocol/protocols/NAME/start")
                        .doesNotContain("/smprotocol/api/")
                        .contains("quarkus.http.auth.permission.<name>.paths=/q/smprotocol/* with")
                        .doesNotContain("quarkus.management.auth");
            });

    @Test
    void anAnonymousRestartIsStillAnswered() throws Exception {
        // what the warning is about: nothing stops it
        assertThat(new SecuredApps.Client("quarkus.http.test-port").post("/q/smprotocol/restart", null).status())
                .isEqualTo(200);
    }
}
