package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;
import io.smprotocol.deployment.LineClient;

/**
 * In dev mode, a proxied connection open across a reload survives it with its backend connection: the reload's
 * hooks answer its next command, and what it forwards still reaches the same backend socket. (Closing the replaced
 * backend client would close that socket, and the client with it.)
 */
class DevModeProxyReloadTest {

    private static final int PORT = ServerProgram.freePort();
    private static final int BACKEND_PORT = ServerProgram.freePort();

    @RegisterExtension
    static final QuarkusDevModeTest TEST = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClass(DevModeTagger.class)
                    .addAsResource(new StringAsset("quarkus.smprotocol.protocols.tagger.port=" + PORT + "\n"
                            + "quarkus.smprotocol.protocols.tagger.forward.host=127.0.0.1\n"
                            + "quarkus.smprotocol.protocols.tagger.forward.port=" + BACKEND_PORT + "\n"
                            + "quarkus.http.port=0\n"),
                            "application.properties"));

    @Test
    void aProxiedConnectionAndItsBackendSocketOutliveAReload() throws Exception {
        try (ScriptedBackend backend = ScriptedBackend.lines(BACKEND_PORT, line -> "backend " + line);
                LineClient kept = LineClient.connect(PORT)) {
            assertThat(kept.call("HELLO")).isEqualTo("backend HELLO");
            assertThat(kept.call("TAG")).isEqualTo("tag one");
            assertThat(backend.accepted()).isEqualTo(1);

            TEST.modifySourceFile(DevModeTagger.class, source -> source.replace("tag one", "tag two"));

            // a new connection's first line compiles and restarts the application before it is answered
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                try (LineClient client = LineClient.connect(PORT)) {
                    assertThat(client.call("TAG")).isEqualTo("tag two");
                }
            });

            // the connection opened before the reload runs the new hooks, over its own backend socket
            assertThat(kept.call("TAG")).isEqualTo("tag two");
            int acceptedBefore = backend.accepted();
            assertThat(kept.call("AFTER")).isEqualTo("backend AFTER");
            assertThat(backend.accepted()).isEqualTo(acceptedBefore);
        }
    }
}
