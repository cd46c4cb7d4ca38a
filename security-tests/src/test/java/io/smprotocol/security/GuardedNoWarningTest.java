package io.smprotocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Both servers on every address, every sensitive endpoint under a permission with a role policy: no warning, and the
 * guard is real (an anonymous restart gets 401).
 */
class GuardedNoWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = SecuredApps.app()
            .overrideConfigKey("quarkus.http.host", "0.0.0.0")
            .overrideConfigKey("quarkus.http.auth.permission.stats.paths", "/smprotocol/*")
            .overrideConfigKey("quarkus.http.auth.permission.stats.policy", "viewers")
            .overrideConfigKey("quarkus.http.auth.policy.viewers.roles-allowed", "smprotocol-viewer")
            .overrideConfigKey("quarkus.management.enabled", "true")
            .overrideConfigKey("quarkus.management.host", "0.0.0.0")
            .overrideConfigKey("quarkus.management.test-port", "0")
            .overrideConfigKey("quarkus.management.auth.basic", "true")
            .overrideConfigKey("quarkus.management.auth.permission.smprotocol.paths", "/q/smprotocol/*")
            .overrideConfigKey("quarkus.management.auth.permission.smprotocol.policy", "operators")
            .overrideConfigKey("quarkus.management.auth.policy.operators.roles-allowed", "smprotocol-operator")
            .setLogRecordPredicate(record -> record.getLoggerName().equals("io.smprotocol.management"))
            .assertLogRecords(records -> assertThat(records).isEmpty());

    @Test
    void theGuardsHold() throws Exception {
        assertThat(new SecuredApps.Client("quarkus.management.test-port").post("/q/smprotocol/restart", null).status())
                .isEqualTo(401);
        assertThat(new SecuredApps.Client("quarkus.http.test-port").post("/smprotocol/api/listeners/echo/restart", null)
                .status()).isEqualTo(401);
    }
}
