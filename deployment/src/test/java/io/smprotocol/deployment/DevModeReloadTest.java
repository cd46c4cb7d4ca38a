package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;

/**
 * In dev mode, editing a hook takes effect on the next line a client sends, with no HTTP request, and the listener
 * stays on its port.
 */
class DevModeReloadTest {

    private static final int PORT = freePort();

    @RegisterExtension
    static final QuarkusDevModeTest TEST = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClass(DevModeEcho.class)
                    .addAsResource(new StringAsset("quarkus.smprotocol.protocols.echo.port=" + PORT + "\n"
                            + "quarkus.http.port=0\n"),
                            "application.properties"));

    @Test
    void aChangedHookAnswersTheNextLineOverTheSameListener() throws Exception {
        try (LineClient client = LineClient.connect(PORT)) {
            assertThat(client.call("HELLO")).isEqualTo("version one");
        }

        TEST.modifySourceFile(DevModeEcho.class, source -> source.replace("version one", "version two"));

        // the first line after the change compiles and restarts the application before it is answered
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            try (LineClient client = LineClient.connect(PORT)) {
                assertThat(client.call("HELLO")).isEqualTo("version two");
            }
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
