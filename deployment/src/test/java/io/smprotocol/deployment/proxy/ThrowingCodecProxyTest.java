package io.smprotocol.deployment.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.Codec;
import io.smprotocol.Protocol;
import io.smprotocol.codec.LineCodec;
import io.smprotocol.deployment.LineClient;
import io.smprotocol.deployment.TestApps;
import io.smprotocol.runtime.server.ProtocolManager;
import io.vertx.core.buffer.Buffer;

/**
 * A codec that throws while a reply is relayed (here from {@code isError}) costs that reply, logged as an unexpected
 * failure; the connection goes on with the next replies instead of waiting forever behind it.
 */
class ThrowingCodecProxyTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("fragile"), Fragile.class, FragileCodec.class,
            ScriptedBackend.class, ServerProgram.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.fragile.forward.host", "127.0.0.1")
            .overrideConfigKey("quarkus.smprotocol.protocols.fragile.forward.port",
                    String.valueOf(ServerProgram.freePort()));

    /** Lines, but {@code isError} fails on the reply {@code BOOM}, as a buggy codec of an application might. */
    public static class FragileCodec implements Codec {
        private final LineCodec lines = new LineCodec();

        @Override
        public Decoder decoder(boolean replies, int maxFrameLength, Charset charset) {
            return lines.decoder(replies, maxFrameLength, charset);
        }

        @Override
        public Buffer encode(List<String> replyLines, boolean replies, Charset charset) {
            return lines.encode(replyLines, replies, charset);
        }

        @Override
        public boolean isError(String reply) {
            if (reply.equals("BOOM")) {
                throw new IllegalStateException("the codec cannot classify " + reply);
            }
            return lines.isError(reply);
        }
    }

    @Protocol(value = "fragile", codec = FragileCodec.class)
    public static class Fragile {
    }

    @Inject
    ProtocolManager manager;

    @Test
    void theRepliesAfterTheOneTheCodecFailedOnStillReachTheClient() throws Exception {
        try (ScriptedBackend backend = ScriptedBackend.lines(ServerProgram.backendPort(manager, "fragile"),
                line -> line.equals("first") ? "BOOM" : "OK " + line)) {
            try (LineClient client = LineClient.connect(manager.protocol("fragile").orElseThrow().port())) {
                client.send("first");
                client.send("second");
                assertThat(client.readLine()).isEqualTo("OK second");
                assertThat(client.call("third")).isEqualTo("OK third");
            }
        }
    }
}
