package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Each hook runs where its signature says: synchronous hooks and {@code @Blocking} on a worker thread, hooks returning
 * {@code Uni}/{@code CompletionStage} and {@code @NonBlocking} on the connection's event loop,
 * {@code @RunOnVirtualThread} on a virtual thread (on a JDK without them, Quarkus falls back to the worker pool).
 * Every hook replies with its thread and whether it may block.
 */
public class ExecutionModelTest {

    private static final String WORKER = "executor-thread";
    private static final String EVENT_LOOP = "vert.x-eventloop";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("threads"), ThreadsProtocol.class);

    @Protocol("threads")
    public static class ThreadsProtocol {

        static String where() {
            return Thread.currentThread().getName() + "|blocking-allowed="
                    + BlockingOperationControl.isBlockingAllowed();
        }

        @OnConnect
        String greet() {
            return where();
        }

        @OnCommand("PLAIN")
        String plain() {
            return where();
        }

        @OnCommand("UNI")
        Uni<String> uni() {
            return Uni.createFrom().item(where());
        }

        @OnCommand("STAGE")
        CompletionStage<String> stage() {
            return CompletableFuture.completedFuture(where());
        }

        @NonBlocking
        @OnCommand("NONBLOCKING")
        String nonBlocking() {
            return where();
        }

        @Blocking
        @OnCommand("BLOCKING")
        Uni<String> blocking() {
            return Uni.createFrom().item(where());
        }

        @RunOnVirtualThread
        @OnCommand("VIRTUAL")
        String virtual() {
            return Thread.currentThread() + "|blocking-allowed=" + BlockingOperationControl.isBlockingAllowed();
        }
    }

    @Inject
    ProtocolManager manager;

    @Test
    void synchronousHooksRunOnWorkerThreads() throws Exception {
        try (LineClient client = LineClient.connect(manager, "threads")) {
            assertThat(client.readLine()).contains(WORKER).endsWith("|blocking-allowed=true");
            assertThat(client.call("PLAIN")).contains(WORKER).endsWith("|blocking-allowed=true");
        }
    }

    @Test
    void asynchronousAndNonBlockingHooksRunOnTheConnectionsEventLoop() throws Exception {
        try (LineClient client = LineClient.connect(manager, "threads")) {
            client.readLine();
            String uni = client.call("UNI");
            String stage = client.call("STAGE");
            String nonBlocking = client.call("NONBLOCKING");
            assertThat(uni).startsWith(EVENT_LOOP).endsWith("|blocking-allowed=false");
            assertThat(stage).startsWith(EVENT_LOOP).endsWith("|blocking-allowed=false");
            assertThat(nonBlocking).startsWith(EVENT_LOOP).endsWith("|blocking-allowed=false");
            // one connection stays on one event loop
            assertThat(stage).isEqualTo(uni);
            assertThat(nonBlocking).isEqualTo(uni);
        }
    }

    @Test
    void blockingAnnotationMovesAnAsynchronousHookToAWorkerThread() throws Exception {
        try (LineClient client = LineClient.connect(manager, "threads")) {
            client.readLine();
            assertThat(client.call("BLOCKING")).contains(WORKER).endsWith("|blocking-allowed=true");
        }
    }

    @Test
    void runOnVirtualThread() throws Exception {
        try (LineClient client = LineClient.connect(manager, "threads")) {
            client.readLine();
            String reply = client.call("VIRTUAL");
            // never the event loop, and blocking is allowed
            assertThat(reply).doesNotContain(EVENT_LOOP).endsWith("|blocking-allowed=true");
            if (Runtime.version().feature() >= 21) {
                assertThat(reply).startsWith("VirtualThread");
            } else {
                // no virtual threads on this JDK: Quarkus runs the hook on its worker pool instead
                assertThat(reply).contains(WORKER);
            }
        }
    }
}
