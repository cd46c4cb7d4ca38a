package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.NonBlocking;
import io.smprotocol.Command;
import io.smprotocol.OnCommand;
import io.smprotocol.OnSequence;
import io.smprotocol.Protocol;
import io.smprotocol.Session;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * {@code @OnSequence} fires after the hook of the command that completes its steps in order, other commands in
 * between or not, then starts again; {@link Session#resetSequences()} starts it again early.
 */
public class SequenceTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("seq"), SequenceProtocol.class);

    @Protocol("seq")
    public static class SequenceProtocol {

        @OnCommand("MAIL")
        String mail() {
            return "250 mail";
        }

        @OnCommand("RCPT")
        String rcpt() {
            return "250 rcpt";
        }

        @OnCommand("DATA")
        String data() {
            return "354 data";
        }

        @OnCommand("NOOP")
        String noop() {
            return "250 noop";
        }

        /** Runs on a worker thread. */
        @OnCommand("RSET")
        String rset(Session session) {
            session.resetSequences();
            return "250 reset";
        }

        /** Runs on the event loop. */
        @NonBlocking
        @OnCommand("ELRSET")
        String eventLoopRset(Session session) {
            session.resetSequences();
            return "250 reset";
        }

        @OnSequence({ "mail", "rcpt", "data" })
        String transaction(Session session, Command command) {
            int count = session.<Integer> attribute("transactions").orElse(0) + 1;
            session.attribute("transactions", count);
            return "SEQ " + command.verb() + " [" + command.arguments() + "] #" + count;
        }
    }

    @Inject
    ProtocolManager manager;

    /** Sends the lines in one write and reads the given number of reply lines. */
    private static List<String> exchange(LineClient client, int replies, String... lines) throws Exception {
        client.sendRaw(String.join("\r\n", lines) + "\r\n");
        List<String> read = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
            read.add(client.readLine());
        }
        return read;
    }

    @Test
    void firesAfterTheStepsInOrderWithOtherCommandsInBetween() throws Exception {
        try (LineClient client = LineClient.connect(manager, "seq")) {
            assertThat(exchange(client, 7, "MAIL", "NOOP", "rcpt", "RCPT", "NOOP", "data now"))
                    .containsExactly("250 mail", "250 noop", "250 rcpt", "250 rcpt", "250 noop", "354 data",
                            "SEQ DATA [now] #1");
            // the sequence starts again: DATA alone does not complete it (the NOOP reply comes next)
            assertThat(exchange(client, 2, "DATA", "NOOP")).containsExactly("354 data", "250 noop");
            assertThat(exchange(client, 4, "MAIL", "RCPT", "DATA again"))
                    .containsExactly("250 mail", "250 rcpt", "354 data", "SEQ DATA [again] #2");
        }
    }

    @Test
    void stepsOutOfOrderDoNotFire() throws Exception {
        try (LineClient client = LineClient.connect(manager, "seq")) {
            assertThat(exchange(client, 4, "DATA", "RCPT", "MAIL", "NOOP"))
                    .containsExactly("354 data", "250 rcpt", "250 mail", "250 noop");
            // MAIL was seen, so RCPT then DATA complete it
            assertThat(exchange(client, 3, "RCPT", "DATA")).containsExactly("250 rcpt", "354 data", "SEQ DATA [] #1");
        }
    }

    @Test
    void resetSequencesStartsAgain() throws Exception {
        try (LineClient client = LineClient.connect(manager, "seq")) {
            assertThat(client.call("MAIL")).isEqualTo("250 mail");
            assertThat(client.call("RCPT")).isEqualTo("250 rcpt");
            assertThat(client.call("RSET")).isEqualTo("250 reset");
            assertThat(client.call("DATA")).isEqualTo("354 data");
            // after the reset, RCPT DATA is not enough: MAIL comes first
            assertThat(exchange(client, 3, "RCPT", "DATA", "NOOP"))
                    .containsExactly("250 rcpt", "354 data", "250 noop");
            assertThat(exchange(client, 4, "MAIL", "RCPT", "DATA"))
                    .containsExactly("250 mail", "250 rcpt", "354 data", "SEQ DATA [] #1");
        }
    }

    @Test
    void resetSequencesFromAnEventLoopHookHoldsForTheNextPipelinedLine() throws Exception {
        resetHoldsForTheNextPipelinedLine("ELRSET");
    }

    /**
     * The reset a worker-thread hook asks for must be in effect for the line after it, also when the client sends them
     * together. Each round is a chance for the hook's result to be handled before the reset it asked for, so the test
     * runs many.
     */
    @Test
    void resetSequencesFromAWorkerHookHoldsForTheNextPipelinedLine() throws Exception {
        resetHoldsForTheNextPipelinedLine("RSET");
    }

    private void resetHoldsForTheNextPipelinedLine(String reset) throws Exception {
        int rounds = 50;
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            lines.addAll(List.of("MAIL", "RCPT", reset, "DATA"));
            expected.addAll(List.of("250 mail", "250 rcpt", "250 reset", "354 data"));
        }
        try (LineClient client = LineClient.connect(manager, "seq")) {
            for (int write = 0; write < 4; write++) {
                assertThat(exchangeUntilNoop(client, lines))
                        .as("write %d: no DATA may complete MAIL RCPT DATA after the %s before it", write, reset)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    /** Sends the lines and a NOOP in one write, and reads the replies up to the NOOP's. */
    private static List<String> exchangeUntilNoop(LineClient client, List<String> lines) throws Exception {
        client.sendRaw(String.join("\r\n", lines) + "\r\nNOOP\r\n");
        List<String> read = new ArrayList<>();
        for (String reply = client.readLine(); !reply.equals("250 noop"); reply = client.readLine()) {
            read.add(reply);
        }
        return read;
    }

    @Test
    void sequencesAreCountedPerConnection() throws Exception {
        try (LineClient first = LineClient.connect(manager, "seq");
                LineClient second = LineClient.connect(manager, "seq")) {
            assertThat(exchange(first, 2, "MAIL", "RCPT")).containsExactly("250 mail", "250 rcpt");
            // the second connection's DATA does not complete the first connection's sequence
            assertThat(exchange(second, 2, "DATA", "NOOP")).containsExactly("354 data", "250 noop");
            assertThat(exchange(first, 2, "DATA")).containsExactly("354 data", "SEQ DATA [] #1");
        }
    }
}
