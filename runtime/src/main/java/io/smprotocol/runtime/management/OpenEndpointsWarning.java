package io.smprotocol.runtime.management;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.PolicyMappingConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.quarkus.vertx.http.runtime.management.ManagementConfig;
import io.smallrye.config.SmallRyeConfig;

/**
 * Warns at start when endpoints that restart protocols or show every client's IP listen on an address other
 * machines reach and nothing guards them, naming the settings that would. The endpoints stay open by default, as
 * Quarkus' own management endpoints do: this only makes sure that an open one is a choice, not an oversight.
 */
public final class OpenEndpointsWarning {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.management");

    private OpenEndpointsWarning() {
    }

    /**
     * Reads the router's host and permissions and logs a warning when the endpoints are open.
     *
     * @param managementInterface whether the endpoints are on the management interface, not the main HTTP server
     * @param security whether a security extension is present: without one no permission applies
     * @param managementAuth whether the management interface authenticates ({@code quarkus.management.auth.basic})
     * @param endpoints method and path of each endpoint, such as {@code POST /q/smprotocol/restart}
     * @param guardPaths for each endpoint, the permission path that would cover it, for the message
     */
    public static void check(boolean managementInterface, boolean security, boolean managementAuth,
            List<String> endpoints, List<String> guardPaths) {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        String prefix = managementInterface ? "quarkus.management" : "quarkus.http";
        if (!managementInterface && !config.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)) {
            return;
        }
        String host = host(config, prefix);
        if (EndpointGuards.loopback(host)) {
            return;
        }
        // without a security extension, or on a management interface that does not authenticate, no permission applies
        boolean permissionsApply = security && (managementAuth || !managementInterface);
        Map<String, PolicyMappingConfig> configured = !permissionsApply ? Map.of()
                : managementInterface ? config.getConfigMapping(ManagementConfig.class).auth().permissions()
                        : config.getConfigMapping(VertxHttpConfig.class).auth().permissions();
        List<EndpointGuards.Permission> permissions = configured.values().stream()
                .filter(permission -> permission.enabled().orElse(true))
                .map(permission -> new EndpointGuards.Permission(permission.paths().orElse(List.of()),
                        permission.methods().orElse(List.of()), permission.policy()))
                .toList();
        List<String> open = EndpointGuards.unguarded(endpoints, permissions);
        List<String> openGuards = open.stream().map(endpoint -> guardPaths.get(endpoints.indexOf(endpoint))).distinct()
                .toList();
        message(managementInterface, host, security, managementAuth, open, openGuards).ifPresent(LOG::warn);
    }

    static Optional<String> message(boolean managementInterface, String host, boolean security, boolean managementAuth,
            List<String> open, List<String> guardPaths) {
        if (open.isEmpty()) {
            return Optional.empty();
        }
        String auth = managementInterface ? "quarkus.management.auth" : "quarkus.http.auth";
        String listener = managementInterface ? "Quarkus' management interface" : "Quarkus' HTTP server";
        String howTo = auth + ".permission.<name>.paths=" + String.join(",", guardPaths) + " with " + auth
                + ".permission.<name>.policy=<policy> and " + auth + ".policy.<policy>.roles-allowed=<role>";
        String fix;
        if (!security) {
            fix = "no security extension is present, so no permission applies: add one (an identity store such as "
                    + "quarkus-elytron-security-properties-file, or OIDC) and set " + howTo;
        } else if (managementInterface && !managementAuth) {
            fix = "the management interface does not authenticate: set quarkus.management.auth.basic=true and " + howTo;
        } else {
            fix = "no " + auth + ".permission.* guards them: set " + howTo;
        }
        return Optional.of("SMProtocol endpoints on " + listener + " (" + host + ") are open to anyone who reaches it: "
                + open.stream().collect(Collectors.joining(", ")) + "; " + fix
                + " (see the operations page of the documentation, 'Securing the endpoints')");
    }

    private static String host(Config config, String prefix) {
        String defaultHost = LaunchMode.current().isDevOrTest() ? "localhost" : "0.0.0.0";
        return config.getOptionalValue(prefix + ".host", String.class).orElse(defaultHost);
    }
}
