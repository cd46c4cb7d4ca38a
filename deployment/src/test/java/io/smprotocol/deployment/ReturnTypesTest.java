package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.Protocol;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * What a hook returns is what the client gets: {@code void}, {@code null} and {@link Reply#none()} send nothing, a
 * {@code String} one line, a {@link Reply} its lines (and may close), and {@code Uni} or {@code CompletionStage} of
 * those the same once completed, even on another thread.
 */
public class ReturnTypesTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("returns"), ReturnsProtocol.class);

    @Protocol("returns")
    public static class ReturnsProtocol {

        final Map<String, CloseReason> closes = new ConcurrentHashMap<>();

        @OnConnect
        Reply greet() {
            return Reply.of("220-welcome", "220 ready");
        }

        @OnCommand("VOID")
        void nothing(Session session, Command command) {
            session.attribute("void", command.arguments());
        }

        @OnCommand("CHECK")
        String check(Session session) {
            return "250 void saw " + session.attribute("void").orElse("<not called>");
        }

        @OnCommand("STRING")
        String string(Command command) {
            return "250 string " + command.arguments();
        }

        @OnCommand("NULL")
        String nullString() {
            return null;
        }

        @OnCommand("REPLY")
        Reply reply() {
            return Reply.of("250-first", "250-second", "250 third");
        }

        @OnCommand("NONE")
        Reply none() {
            return Reply.none();
        }

        @OnCommand("UNI")
        Uni<String> uni(Command command) {
            return Uni.createFrom().item("250 uni " + command.arguments());
        }

        @OnCommand("LATEUNI")
        Uni<String> lateUni() {
            // completes on another thread, after the hook returned
            return Uni.createFrom().item("250 late uni").emitOn(Infrastructure.getDefaultWorkerPool());
        }

        @OnCommand("UNIREPLY")
        Uni<Reply> uniReply() {
            return Uni.createFrom().item(Reply.of("250-uni", "250 reply"));
        }

        @OnCommand("UNIVOID")
        Uni<Void> uniVoid(Session session) {
            return Uni.createFrom().voidItem().invoke(() -> session.attribute("void", "univoid"));
        }

        @OnCommand("CS")
        CompletionStage<Reply> completionStage(Command command) {
            return CompletableFuture.supplyAsync(() -> Reply.of("250 cs " + command.arguments()));
        }

        @OnCommand("CSSTRING")
        CompletionStage<String> completionStageString() {
            return CompletableFuture.completedFuture("250 cs string");
        }

        @OnCommand("CSNULL")
        CompletionStage<Reply> completionStageNull() {
            return CompletableFuture.completedFuture(null);
        }

        @OnCommand("BYE")
        Uni<Reply> bye() {
            return Uni.createFrom().item(Reply.of("221-closing").andClose());
        }

        @OnClose
        CompletionStage<Void> closed(Session session, CloseReason reason) {
            return CompletableFuture.runAsync(() -> closes.put(session.id(), reason));
        }
    }

    @Inject
    ReturnsProtocol protocol;

    @Inject
    ProtocolManager manager;

    private static LineClient connect(ProtocolManager manager) throws Exception {
        LineClient client = LineClient.connect(manager, "returns");
        assertThat(client.readLine()).isEqualTo("220-welcome");
        assertThat(client.readLine()).isEqualTo("220 ready");
        return client;
    }

    @Test
    void synchronousReturnTypes() throws Exception {
        try (LineClient client = connect(manager)) {
            assertThat(client.call("STRING one")).isEqualTo("250 string one");
            client.send("REPLY");
            assertThat(client.readLine()).isEqualTo("250-first");
            assertThat(client.readLine()).isEqualTo("250-second");
            assertThat(client.readLine()).isEqualTo("250 third");
            // each of these sends nothing: the next line read is the reply to the line after it
            assertThat(client.send("VOID called").call("CHECK")).isEqualTo("250 void saw called");
            assertThat(client.send("NULL").call("STRING two")).isEqualTo("250 string two");
            assertThat(client.send("NONE").call("STRING three")).isEqualTo("250 string three");
        }
    }

    @Test
    void asynchronousReturnTypes() throws Exception {
        try (LineClient client = connect(manager)) {
            assertThat(client.call("UNI now")).isEqualTo("250 uni now");
            assertThat(client.call("LATEUNI")).isEqualTo("250 late uni");
            client.send("UNIREPLY");
            assertThat(client.readLine()).isEqualTo("250-uni");
            assertThat(client.readLine()).isEqualTo("250 reply");
            assertThat(client.call("CS async")).isEqualTo("250 cs async");
            assertThat(client.call("CSSTRING")).isEqualTo("250 cs string");
            assertThat(client.send("UNIVOID").call("CHECK")).isEqualTo("250 void saw univoid");
            assertThat(client.send("CSNULL").call("STRING four")).isEqualTo("250 string four");
        }
    }

    @Test
    void asynchronousReplyThatCloses() throws Exception {
        try (LineClient client = connect(manager)) {
            assertThat(client.call("BYE")).isEqualTo("221-closing");
            assertThat(client.readUntilClosed()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> protocol.closes.containsValue(CloseReason.CLOSED_BY_HOOK));
    }
}
