package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.CloseReason;
import io.smprotocol.ListenerState;
import io.smprotocol.OnClose;
import io.smprotocol.Protocol;
import io.smprotocol.codec.RespCodec;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;
import io.vertx.core.json.JsonObject;

/**
 * What a proxy's client sees when the backend fails: a backend killed or reset mid-stream closes the client's
 * connection (the close hook sees {@code BACKEND_CLOSED}, nothing hangs, the protocol accepts again); a backend that
 * does not listen gets the client the {@code replies.backend-unavailable} line, or just a close, and is counted; a
 * client that half-closes still gets the backend's reply; a malformed RESP command reaches the backend unchanged, as
 * does everything after it, and the backend's own answer comes back. Each protocol forwards to its own free port, where a test
 * starts a backend or leaves none.
 */
class ProxyFailuresTest {

    static final String UNAVAILABLE = "SERVER_ERROR backend unavailable";

    @RegisterExtension
    static final QuarkusUnitTest TEST = proxies(TestApps.app(
            List.of("killable", "cut", "refusing", "silent", "halfclose", "resp"),
            Killable.class, Cut.class, Refusing.class, Silent.class, HalfClose.class, Resp.class,
            ScriptedBackend.class, ServerProgram.class),
            "killable", "cut", "refusing", "silent", "halfclose", "resp")
            .overrideConfigKey("quarkus.smprotocol.protocols.killable.replies.backend-unavailable", UNAVAILABLE)
            .overrideConfigKey("quarkus.smprotocol.protocols.refusing.replies.backend-unavailable", UNAVAILABLE)
            .overrideConfigKey("quarkus.smprotocol.protocols.refusing.forward.connect-timeout", "3S")
            .overrideConfigKey("quarkus.smprotocol.protocols.silent.forward.connect-timeout", "3S")
            .overrideConfigKey("quarkus.smprotocol.protocols.resp.replies.codec-error", "-ERR Protocol error");

    /** Each protocol proxies to a port of its own, free when the application is configured. */
    static QuarkusUnitTest proxies(QuarkusUnitTest test, String... protocols) {
        for (String protocol : protocols) {
            test.overrideConfigKey("quarkus.smprotocol.protocols." + protocol + ".forward.host", "127.0.0.1");
            test.overrideConfigKey("quarkus.smprotocol.protocols." + protocol + ".forward.port",
                    String.valueOf(ServerProgram.freePort()));
        }
        return test;
    }

    @Protocol("killable")
    public static class Killable {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    @Protocol("cut")
    public static class Cut {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    @Protocol("refusing")
    public static class Refusing {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    @Protocol("silent")
    public static class Silent {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    @Protocol("halfclose")
    public static class HalfClose {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    @Protocol(value = "resp", codec = RespCodec.class)
    public static class Resp {
        final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    @Inject
    ProtocolManager manager;

    @Inject
    Killable killable;

    @Inject
    Cut cut;

    @Inject
    Refusing refusing;

    @Inject
    Silent silent;

    @Inject
    HalfClose halfClose;

    @Inject
    Resp resp;

    @BeforeEach
    void clear() {
        List.of(killable.closes, cut.closes, refusing.closes, silent.closes, halfClose.closes, resp.closes)
                .forEach(LinkedBlockingQueue::clear);
    }

    // ---- the backend dies

    @Test
    void aBackendKilledMidStreamClosesTheClientAndTheProtocolAcceptsAgain() throws Exception {
        Assumptions.assumeTrue(ServerProgram.onPath("memcached"), "memcached not installed: apt-get install memcached");
        ProtocolServer server = server("killable");
        int backendPort = ServerProgram.backendPort(manager, "killable");
        ServerProgram memcached = ServerProgram.memcached(backendPort);
        try {
            try (LineClient client = LineClient.connect(server.port())) {
                assertThat(client.call("set k 0 0 5\r\nhello")).isEqualTo("STORED");

                memcached.kill();

                // the client's connection ends, without the client doing anything
                assertThat(client.readAllBytes()).isEmpty();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(
                        () -> assertThat(server.openConnections()).as("open connections of killable").isZero());
                assertThat(killable.closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.BACKEND_CLOSED);
            }

            // the protocol goes on: without a backend a client gets the refusal line...
            try (LineClient client = LineClient.connect(server.port())) {
                assertThat(client.readLine()).isEqualTo(UNAVAILABLE);
                assertThat(client.readUntilClosed()).isEmpty();
            }
            // ... and with the backend back, the full service
            memcached.close();
            memcached = ServerProgram.memcached(backendPort);
            try (LineClient client = LineClient.connect(server.port())) {
                assertThat(client.call("version")).startsWith("VERSION ");
            }
            assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
        } finally {
            memcached.close();
        }
    }

    @Test
    void aBackendResetInTheMiddleOfAReplyClosesTheClientWithWhatCameBefore() throws Exception {
        ProtocolServer server = server("cut");
        byte[] partial = "VALUE k 0 100\r\n0123456789".getBytes(StandardCharsets.US_ASCII);
        try (ScriptedBackend backend = ScriptedBackend.start(ServerProgram.backendPort(manager, "cut"),
                (socket, self) -> {
                    String command = self.readLine(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    if ("get k".equals(command)) {
                        out.write(partial);
                        out.flush();
                        // crash in the middle of the value: a TCP reset
                        socket.setSoLinger(true, 0);
                        socket.close();
                    } else if (command != null) {
                        out.write(("OK " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        self.readLine(socket.getInputStream());
                    }
                })) {
            try (LineClient client = LineClient.connect(server.port())) {
                client.send("get k");
                byte[] received;
                try {
                    received = client.readAllBytes();
                } catch (SocketException reset) {
                    received = new byte[0];
                }
                // whatever arrived before the close is the start of what the backend sent, never anything else
                assertThat(partial).startsWith(received);
            }
            assertThat(cut.closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.BACKEND_CLOSED);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.openConnections()).isZero());

            try (LineClient client = LineClient.connect(server.port())) {
                assertThat(client.call("hello")).isEqualTo("OK hello");
            }
            assertThat(backend.accepted()).isEqualTo(2);
        }
    }

    // ---- the backend does not listen

    @Test
    void aBackendThatDoesNotListenGetsTheClientTheRefusalLineThenCloseAndIsCounted() throws Exception {
        ProtocolServer server = server("refusing");
        long failuresBefore = server.backendFailures();
        long reportedBefore = statistics("refusing").getLong("backendUnavailable");

        for (int attempt = 1; attempt <= 2; attempt++) {
            try (LineClient client = LineClient.connect(server.port())) {
                assertThat(client.readLine()).isEqualTo(UNAVAILABLE);
                assertThat(client.readUntilClosed()).isEmpty();
            }
            assertThat(refusing.closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.BACKEND_CLOSED);
        }

        assertThat(server.backendFailures()).isEqualTo(failuresBefore + 2);
        JsonObject statistics = statistics("refusing");
        assertThat(statistics.getBoolean("proxy")).isTrue();
        assertThat(statistics.getString("backend")).isEqualTo("127.0.0.1:" + ServerProgram.backendPort(manager,
                "refusing"));
        assertThat(statistics.getLong("backendUnavailable")).isEqualTo(reportedBefore + 2);
        assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
    }

    @Test
    void withoutARefusalLineTheClientIsJustClosed() throws Exception {
        ProtocolServer server = server("silent");
        long failuresBefore = server.backendFailures();

        try (LineClient client = LineClient.connect(server.port())) {
            assertThat(client.readAllBytes()).isEmpty();
        }

        assertThat(silent.closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.BACKEND_CLOSED);
        assertThat(server.backendFailures()).isEqualTo(failuresBefore + 1);
    }

    // ---- the client half-closes

    @Test
    void aClientThatHalfClosesStillGetsTheReplyTheBackendSendsAfterTheEndOfItsInput() throws Exception {
        ProtocolServer server = server("halfclose");
        byte[] request = "first\r\nsecond\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ScriptedBackend backend = ScriptedBackend.start(ServerProgram.backendPort(manager, "halfclose"),
                (socket, self) -> {
                    // answers only once the client's end of stream has come through the proxy
                    byte[] all = self.readToEnd(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(("RECEIVED " + all.length + " BYTES\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(all);
                    out.flush();
                })) {
            try (LineClient client = LineClient.connect(server.port())) {
                client.sendBytes(request);
                client.shutdownOutput();

                assertThat(new String(client.readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("RECEIVED 15 BYTES\r\nfirst\r\nsecond\r\n");
            }
            assertThat(backend.endsOfStream()).isEqualTo(1);
            assertThat(backend.bytes()).isEqualTo(request);
            assertThat(halfClose.closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLIENT_CLOSED);
        }
    }

    // ---- the client sends what the codec cannot read

    @Test
    void aMalformedRespCommandReachesTheBackendUnchangedAndItsOwnErrorComesBack() throws Exception {
        byte[] ping = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        String malformed = "*1\r\n+PING\r\n";
        try (ScriptedBackend backend = ScriptedBackend.lines(ServerProgram.backendPort(manager, "resp"),
                line -> switch (line) {
                    case "PING" -> "+PONG";
                    case "+PING" -> "-ERR Protocol error: expected '$', got '+'";
                    default -> null;
                })) {
            try (LineClient client = LineClient.connect(server("resp").port())) {
                client.sendBytes(ping);
                assertThat(client.readLine()).isEqualTo("+PONG");

                // an array element that is not a bulk string: the backend's own answer, not the proxy's
                client.sendRaw(malformed);
                assertThat(client.readLine()).isEqualTo("-ERR Protocol error: expected '$', got '+'");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.bytes())
                    .as("what reached the backend").isEqualTo(concat(ping, malformed.getBytes(StandardCharsets.US_ASCII))));
        }
    }

    @Test
    void everythingAfterAnUnparsedCommandIsForwardedUnchanged() throws Exception {
        String sent = "*1\r\n$-1\r\n*1\r\n$4\r\nPING\r\n";
        try (ScriptedBackend backend = ScriptedBackend.lines(ServerProgram.backendPort(manager, "resp"),
                line -> switch (line) {
                    case "$-1" -> "-ERR Protocol error: invalid bulk length";
                    case "PING" -> "+PONG";
                    default -> null;
                })) {
            try (LineClient client = LineClient.connect(server("resp").port())) {
                // redis-server itself answers "-ERR Protocol error: invalid bulk length" and closes
                client.sendRaw(sent);
                assertThat(client.readLine()).isEqualTo("-ERR Protocol error: invalid bulk length");
                assertThat(client.readLine()).isEqualTo("+PONG");
            }
            assertThat(backend.bytes()).as("what reached the backend").isEqualTo(sent.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    // ---- helpers

    private ProtocolServer server(String name) {
        ProtocolServer server = manager.protocol(name).orElseThrow();
        assertThat(server.state()).isEqualTo(ListenerState.RUNNING);
        return server;
    }

    /** GET /q/smprotocol/protocols/NAME/stats on the application's HTTP port. */
    private static JsonObject statistics(String protocol) throws IOException, InterruptedException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + port + "/q/smprotocol/protocols/" + protocol + "/stats"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
