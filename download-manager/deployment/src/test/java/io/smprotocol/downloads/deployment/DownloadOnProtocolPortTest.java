package io.smprotocol.downloads.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;

/**
 * The download listener and a protocol on one port fail the start, naming both; so does the download listener's
 * default port against Quarkus' default test port, the first thing a new application's {@code @QuarkusTest} meets.
 */
class DownloadOnProtocolPortTest {

    static final String PORT = Integer.toString(freePort());

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Echo.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.echo.port", PORT)
            .overrideConfigKey("quarkus.smprotocol.download.port", PORT)
            .overrideConfigKey("quarkus.smprotocol.download.root", "target/dl-port-conflict")
            .overrideConfigKey("quarkus.smprotocol.tracking.enabled", "false")
            .assertException(failure -> assertThat(messages(failure))
                    .contains("protocol 'echo' (quarkus.smprotocol.protocols.echo.port=" + PORT)
                    .contains("the download listener (quarkus.smprotocol.download.port=" + PORT)
                    .contains("give each listener its own port"));

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause).append('\n');
        }
        return all.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Protocol("echo")
    public static class Echo {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }
}
