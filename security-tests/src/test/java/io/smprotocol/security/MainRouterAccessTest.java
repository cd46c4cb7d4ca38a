package io.smprotocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Without a management interface the management endpoints are on the application's HTTP server, beside the stats API
 * and the dashboard; {@code quarkus.http.auth.permission.*} guards all three: anonymous callers get 401, a user without
 * the role 403 and nothing happens, the role reads (every client's IP) or restarts.
 */
class MainRouterAccessTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = SecuredApps.app()
            .overrideConfigKey("quarkus.smprotocol.dashboard.enabled", "true")
            .overrideConfigKey("quarkus.http.auth.permission.operations.paths", "/q/smprotocol/*")
            .overrideConfigKey("quarkus.http.auth.permission.operations.policy", "operators")
            .overrideConfigKey("quarkus.http.auth.permission.restarts.paths", "/smprotocol/api/listeners/*/restart")
            .overrideConfigKey("quarkus.http.auth.permission.restarts.policy", "operators")
            .overrideConfigKey("quarkus.http.auth.permission.stats.paths", "/smprotocol/*")
            .overrideConfigKey("quarkus.http.auth.permission.stats.policy", "viewers")
            .overrideConfigKey("quarkus.http.auth.policy.operators.roles-allowed", "smprotocol-operator")
            .overrideConfigKey("quarkus.http.auth.policy.viewers.roles-allowed", "smprotocol-viewer");

    @Inject
    ProtocolManager manager;

    private final SecuredApps.Client http = new SecuredApps.Client("quarkus.http.test-port");

    @Test
    void theManagementEndpointsNeedTheOperatorRole() throws Exception {
        long starts = manager.status("echo").starts();
        try (Line client = new Line(manager.status("echo").port())) {
            assertThat(http.get("/q/smprotocol/protocols", null).status()).isEqualTo(401);
            assertThat(http.post("/q/smprotocol/restart", null).status()).isEqualTo(401);
            assertThat(http.post("/q/smprotocol/restart", "viewer").status()).isEqualTo(403);
            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(manager.status("echo").starts()).isEqualTo(starts);

            SecuredApps.Response restart = http.post("/q/smprotocol/restart", "operator");
            assertThat(restart.status()).isEqualTo(200);
            assertThat(restart.body()).contains("\"name\":\"echo\"");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(manager.status("echo").starts()).isGreaterThan(starts);
    }

    @Test
    void theStatsApiAndTheDashboardNeedTheViewerRole() throws Exception {
        for (String path : new String[] { "/smprotocol/api/downloads", "/smprotocol/api/downloads/summary",
                "/smprotocol/api/listeners", "/smprotocol/" }) {
            assertThat(http.get(path, null).status()).as(path).isEqualTo(401);
            assertThat(http.get(path, "nobody").status()).as(path).isEqualTo(403);
            assertThat(http.get(path, "viewer").status()).as(path).isEqualTo(200);
        }
        assertThat(http.get("/smprotocol/api/downloads", "viewer").body()).startsWith("{");
    }

    @Test
    void aListenerRestartFromTheDashboardNeedsTheOperatorRole() throws Exception {
        long starts = manager.status("echo").starts();
        try (Line client = new Line(manager.status("echo").port())) {
            assertThat(http.post("/smprotocol/api/listeners/echo/restart", null).status()).isEqualTo(401);
            assertThat(http.post("/smprotocol/api/listeners/echo/restart", "viewer").status()).isEqualTo(403);
            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(manager.status("echo").starts()).isEqualTo(starts);

            assertThat(http.post("/smprotocol/api/listeners/echo/restart", "operator").status()).isEqualTo(200);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(manager.status("echo").starts()).isEqualTo(starts + 1);
    }
}
