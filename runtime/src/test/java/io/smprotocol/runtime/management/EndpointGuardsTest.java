package io.smprotocol.runtime.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smprotocol.runtime.management.EndpointGuards.Permission;

/**
 * Which sensitive endpoints the configured permissions leave open, as Quarkus would pick the permission of a request.
 */
class EndpointGuardsTest {

    private static final List<String> ENDPOINTS = List.of("POST /q/smprotocol/restart",
            "POST /q/smprotocol/protocols/NAME/restart", "GET /smprotocol/api/downloads");

    private static Permission permission(String paths, String methods, String policy) {
        return new Permission(List.of(paths.split(",")), methods.isEmpty() ? List.of() : List.of(methods.split(",")),
                policy);
    }

    @Test
    void withoutPermissionsEveryEndpointIsOpen() {
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of())).isEqualTo(ENDPOINTS);
    }

    @Test
    void aPrefixWithARolePolicyGuardsEverythingBelowIt() {
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/q/smprotocol/*", "", "operators"))))
                .containsExactly("GET /smprotocol/api/downloads");
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/*", "", "authenticated")))).isEmpty();
    }

    @Test
    void permitGuardsNothingAndTheMostSpecificPathDecides() {
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/q/smprotocol/*", "", "permit"))))
                .isEqualTo(ENDPOINTS);
        List<Permission> permissions = List.of(permission("/*", "", "deny"),
                permission("/q/smprotocol/protocols/*", "", "permit"));
        assertThat(EndpointGuards.unguarded(ENDPOINTS, permissions))
                .containsExactly("POST /q/smprotocol/protocols/NAME/restart");
    }

    @Test
    void aPermissionForOtherMethodsDoesNotGuard() {
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/q/smprotocol/*", "GET,HEAD", "viewers"))))
                .contains("POST /q/smprotocol/restart", "POST /q/smprotocol/protocols/NAME/restart");
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/q/smprotocol/*", "post", "operators"))))
                .containsExactly("GET /smprotocol/api/downloads");
    }

    @Test
    void aWildcardSegmentMatchesOneSegment() {
        assertThat(EndpointGuards.unguarded(ENDPOINTS,
                List.of(permission("/q/smprotocol/protocols/*/restart", "", "operators"))))
                .containsExactly("POST /q/smprotocol/restart", "GET /smprotocol/api/downloads");
        assertThat(EndpointGuards.specificity("/q/*/restart", "/q/smprotocol/protocols/NAME/restart")).isNegative();
    }

    @Test
    void anExactPathIsItselfOnly() {
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/q/smprotocol/restart", "", "operators"))))
                .containsExactly("POST /q/smprotocol/protocols/NAME/restart", "GET /smprotocol/api/downloads");
        assertThat(EndpointGuards.unguarded(ENDPOINTS, List.of(permission("/q/smprotocol", "", "operators"))))
                .isEqualTo(ENDPOINTS);
    }

    @Test
    void loopbackHosts() {
        assertThat(List.of("localhost", "127.0.0.1", "127.0.1.1", "::1", "[::1]", "LOCALHOST"))
                .allMatch(EndpointGuards::loopback);
        assertThat(List.of("0.0.0.0", "::", "10.0.0.5", "example.org", "[::]")).noneMatch(EndpointGuards::loopback);
    }
}
