package io.smprotocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * On the management interface, {@code quarkus.management.auth.permission.*} guards {@code /q/smprotocol/*}: anonymous
 * callers get 401, a user without the role 403 and nothing happens, the role reads and restarts.
 */
class ManagementInterfaceAccessTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = SecuredApps.app()
            .overrideConfigKey("quarkus.management.enabled", "true")
            .overrideConfigKey("quarkus.management.host", "127.0.0.1")
            .overrideConfigKey("quarkus.management.test-port", "0")
            .overrideConfigKey("quarkus.management.auth.basic", "true")
            .overrideConfigKey("quarkus.management.auth.permission.smprotocol.paths", "/q/smprotocol/*")
            .overrideConfigKey("quarkus.management.auth.permission.smprotocol.policy", "operators")
            .overrideConfigKey("quarkus.management.auth.policy.operators.roles-allowed", "smprotocol-operator");

    @Inject
    ProtocolManager manager;

    private final SecuredApps.Client management = new SecuredApps.Client("quarkus.management.test-port");

    @Test
    void readingNeedsTheRole() throws Exception {
        assertThat(management.get("/q/smprotocol/protocols", null).status()).isEqualTo(401);
        assertThat(management.get("/q/smprotocol/protocols/echo/stats", "viewer").status()).isEqualTo(403);
        SecuredApps.Response allowed = management.get("/q/smprotocol/protocols/echo", "operator");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"name\":\"echo\"").contains("\"state\":\"RUNNING\"");
    }

    @Test
    void aRefusedRestartLeavesTheProtocolAndItsConnectionsAlone() throws Exception {
        long starts = manager.status("echo").starts();
        try (Line client = new Line(manager.status("echo").port())) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(management.post("/q/smprotocol/protocols/echo/restart", null).status()).isEqualTo(401);
            assertThat(management.post("/q/smprotocol/protocols/echo/stop", "viewer").status()).isEqualTo(403);
            assertThat(management.post("/q/smprotocol/restart", "nobody").status()).isEqualTo(403);
            assertThat(management.post("/q/smprotocol/restart", "nobody:wrong").status()).isEqualTo(401);

            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(manager.status("echo").starts()).isEqualTo(starts);
            assertThat(manager.status("echo").state().name()).isEqualTo("RUNNING");
        }
    }

    @Test
    void theRoleRestarts() throws Exception {
        long starts = manager.status("echo").starts();
        try (Line client = new Line(manager.status("echo").port())) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            SecuredApps.Response restart = management.post("/q/smprotocol/protocols/echo/restart", "operator");
            assertThat(restart.status()).isEqualTo(200);
            assertThat(restart.body()).contains("\"state\":\"RUNNING\"");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(manager.status("echo").starts()).isEqualTo(starts + 1);
        try (Line again = new Line(manager.status("echo").port())) {
            assertThat(again.call("PING")).isEqualTo("PONG");
        }
    }
}
