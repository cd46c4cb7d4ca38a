package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smprotocol.CloseReason;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnError;
import io.smprotocol.Protocol;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * A failing hook (thrown, or a failed {@code Uni}/{@code CompletionStage}) reaches {@code @OnError} with its
 * {@link Throwable}, whose reply replaces the failed hook's; the connection goes on. Without {@code @OnError} the
 * client gets {@code replies.error}; without {@code @OnLine}, a line no hook takes gets
 * {@code replies.unknown-command}.
 */
public class ErrorHandlingTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("guarded", "plain", "defaults"),
            GuardedProtocol.class, PlainProtocol.class, DefaultsProtocol.class)
            .overrideConfigKey("quarkus.smprotocol.protocols.plain.replies.error", "554 custom failure")
            .overrideConfigKey("quarkus.smprotocol.protocols.plain.replies.unknown-command", "502 what?");

    @Protocol("guarded")
    public static class GuardedProtocol {

        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();

        @OnCommand("BOOM")
        String boom(Command command) {
            throw new IllegalStateException("boom " + command.arguments());
        }

        @NonBlocking
        @OnCommand("LOOPBOOM")
        String loopBoom() {
            throw new IllegalArgumentException("event-loop boom");
        }

        @OnCommand("UNIFAIL")
        Uni<String> uniFail() {
            return Uni.createFrom().failure(new IOException("uni failed"));
        }

        @OnCommand("CSFAIL")
        CompletionStage<Reply> completionStageFail() {
            return CompletableFuture.supplyAsync(() -> {
                throw new UnsupportedOperationException("stage failed");
            });
        }

        @OnCommand("FATAL")
        String fatal() {
            throw new IllegalStateException("fatal");
        }

        @OnCommand("DOUBLE")
        String doubleFailure() {
            throw new IllegalStateException("double");
        }

        @OnCommand("OK")
        String ok() {
            return "250 ok";
        }

        @OnError
        Reply error(Session session, Throwable failure) {
            failures.add(failure);
            if ("fatal".equals(failure.getMessage())) {
                return Reply.close("421 closing after " + failure.getMessage());
            }
            if ("double".equals(failure.getMessage())) {
                throw new IllegalStateException("the error hook failed too");
            }
            return Reply.of("550 " + failure.getClass().getSimpleName() + ": " + failure.getMessage() + " (open="
                    + session.isOpen() + ")");
        }

        @OnClose
        void closed(CloseReason reason) {
            closes.add(reason);
        }
    }

    /** No {@code @OnError}, no {@code @OnLine}; its replies are configured. */
    @Protocol("plain")
    public static class PlainProtocol {

        @OnCommand("BOOM")
        String boom() {
            throw new IllegalStateException("plain boom");
        }

        @OnCommand("UNIFAIL")
        Uni<String> uniFail() {
            return Uni.createFrom().failure(new IllegalStateException("plain uni failed"));
        }

        @OnCommand("OK")
        String ok() {
            return "250 ok";
        }
    }

    /** No {@code @OnError}, no {@code @OnLine}, default replies. */
    @Protocol("defaults")
    public static class DefaultsProtocol {

        @OnCommand("BOOM")
        String boom() {
            throw new IllegalStateException("defaults boom");
        }

        @OnCommand("OK")
        String ok() {
            return "250 ok";
        }
    }

    @Inject
    GuardedProtocol guarded;

    @Inject
    ProtocolManager manager;

    @Test
    void errorHookGetsTheFailureOfEveryKindOfHookAndTheConnectionGoesOn() throws Exception {
        try (LineClient client = LineClient.connect(manager, "guarded")) {
            assertThat(client.call("BOOM now")).isEqualTo("550 IllegalStateException: boom now (open=true)");
            assertThat(client.call("OK")).isEqualTo("250 ok");
            assertThat(client.call("LOOPBOOM")).isEqualTo("550 IllegalArgumentException: event-loop boom (open=true)");
            assertThat(client.call("UNIFAIL")).isEqualTo("550 IOException: uni failed (open=true)");
            assertThat(client.call("CSFAIL")).isEqualTo("550 UnsupportedOperationException: stage failed (open=true)");
            assertThat(client.call("OK")).isEqualTo("250 ok");
        }
        assertThat(guarded.failures).extracting(Throwable::getMessage)
                .contains("boom now", "event-loop boom", "uni failed", "stage failed");
    }

    @Test
    void failingErrorHookFallsBackToTheErrorReply() throws Exception {
        try (LineClient client = LineClient.connect(manager, "guarded")) {
            assertThat(client.call("DOUBLE")).isEqualTo("451 Internal error");
            assertThat(client.call("OK")).isEqualTo("250 ok");
        }
    }

    @Test
    void errorHookReplyMayCloseTheConnection() throws Exception {
        try (LineClient client = LineClient.connect(manager, "guarded")) {
            assertThat(client.call("FATAL")).isEqualTo("421 closing after fatal");
            assertThat(client.readUntilClosed()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> guarded.closes.contains(CloseReason.CLOSED_BY_HOOK));
    }

    @Test
    void withoutErrorHookTheConfiguredErrorReplyIsSent() throws Exception {
        try (LineClient client = LineClient.connect(manager, "plain")) {
            assertThat(client.call("BOOM")).isEqualTo("554 custom failure");
            assertThat(client.call("UNIFAIL")).isEqualTo("554 custom failure");
            assertThat(client.call("OK")).isEqualTo("250 ok");
        }
    }

    @Test
    void withoutLineHookTheConfiguredUnknownCommandReplyIsSent() throws Exception {
        try (LineClient client = LineClient.connect(manager, "plain")) {
            assertThat(client.call("HELP me")).isEqualTo("502 what?");
            assertThat(client.call("")).isEqualTo("502 what?");
            assertThat(client.call("ok")).isEqualTo("250 ok");
        }
    }

    @Test
    void defaultRepliesWithoutConfiguration() throws Exception {
        try (LineClient client = LineClient.connect(manager, "defaults")) {
            assertThat(client.call("NOSUCH")).isEqualTo("500 Unknown command");
            assertThat(client.call("BOOM")).isEqualTo("451 Internal error");
            assertThat(client.call("OK")).isEqualTo("250 ok");
        }
    }
}
