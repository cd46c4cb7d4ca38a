package io.smprotocol.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.QuarkusUnitTest;

/**
 * The common setup of the secured test applications: the {@code echo} protocol, the download manager on free ports,
 * and three users from Quarkus' embedded properties store: {@code operator} (role {@code smprotocol-operator}),
 * {@code viewer} (role {@code smprotocol-viewer}) and {@code nobody} (no role). Every password is {@code secret}.
 */
final class SecuredApps {

    static final String PASSWORD = "secret";

    private SecuredApps() {
    }

    static QuarkusUnitTest app(Class<?>... classes) {
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(Echo.class, SecuredApps.class, Line.class).addClasses(classes))
                .overrideConfigKey("quarkus.smprotocol.banner", "false")
                .overrideConfigKey("quarkus.http.test-port", "0")
                .overrideConfigKey("quarkus.smprotocol.protocols.echo.port", "0")
                .overrideConfigKey("quarkus.smprotocol.download.port", "0")
                .overrideConfigKey("quarkus.smprotocol.download.root", "target/secured-downloads")
                .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
                .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
                .overrideConfigKey("quarkus.security.users.embedded.users.operator", PASSWORD)
                .overrideConfigKey("quarkus.security.users.embedded.users.viewer", PASSWORD)
                .overrideConfigKey("quarkus.security.users.embedded.users.nobody", PASSWORD)
                .overrideConfigKey("quarkus.security.users.embedded.roles.operator", "smprotocol-operator,smprotocol-viewer")
                .overrideConfigKey("quarkus.security.users.embedded.roles.viewer", "smprotocol-viewer")
                .overrideConfigKey("quarkus.http.auth.basic", "true");
    }

    /** A response: status and body. */
    record Response(int status, String body) {
    }

    /** Calls one of the application's HTTP servers, as a user or anonymously. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final String portKey;

        /**
         * @param portKey the setting that holds the server's actual port once it listens, such as
         *        {@code quarkus.management.test-port}
         */
        Client(String portKey) {
            this.portKey = portKey;
        }

        Response get(String path, String user) throws IOException, InterruptedException {
            return send(request(path, user).GET());
        }

        Response post(String path, String user) throws IOException, InterruptedException {
            return send(request(path, user).POST(HttpRequest.BodyPublishers.noBody()));
        }

        private HttpRequest.Builder request(String path, String user) {
            int port = ConfigProvider.getConfig().getValue(portKey, Integer.class);
            if (port <= 0) {
                throw new AssertionError("the actual port is not known (" + portKey + "=" + port + ")");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            if (user != null) {
                String credentials = user.contains(":") ? user : user + ":" + PASSWORD;
                request.header("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            return request;
        }

        private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        }
    }
}
