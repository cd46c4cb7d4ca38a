package io.smprotocol.downloads.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.ListenerState;
import io.smprotocol.ListenerStatus;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * A negative {@code local-cache.ttl} fails the download listener, as any setting it cannot start with does, with a
 * reason naming the key; the protocols start.
 */
class LocalCacheNegativeTtlTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Echo.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.protocols.echo.port", "0")
            .overrideConfigKey("quarkus.smprotocol.download.port", "0")
            .overrideConfigKey("quarkus.smprotocol.download.root", "target/dl-negative-ttl")
            .overrideConfigKey("quarkus.smprotocol.download.local-cache.ttl", "PT-1S");

    @Inject
    ProtocolManager manager;

    @Test
    void theDownloadListenerFailsWithTheKeyAndTheProtocolsServe() throws Exception {
        ListenerStatus download = manager.status("download");
        assertThat(download.state()).isEqualTo(ListenerState.FAILED);
        assertThat(download.failure())
                .contains("quarkus.smprotocol.download.local-cache.ttl must not be negative, it is PT-1S");
        try (Socket socket = new Socket("127.0.0.1", manager.status("echo").port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(reader.readLine()).isEqualTo("PONG");
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
