package io.smprotocol.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.Command;
import io.smprotocol.it.LineClient;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * Seeded fuzzing of the line framing: {@value #CASES} random inputs per protocol (random bytes, line-ending storms,
 * bare CR and LF, NUL runs, lines just under, at and over {@code max-line-length}, UTF-8 good and bad, near-commands),
 * each sent in random pieces and followed by CR LF and PING ({@code ping}, lenient, 8192 bytes) or NOOP
 * ({@code smtp}, strict CR LF, 1000 bytes). The server must answer exactly what {@link LineModel} says the
 * documentation promises, in order, ending with the answer to the PING or NOOP: on the same connection, case after
 * case, and on a new connection every {@value #BATCH} cases (the old one closed, half of them with a reset). The
 * lines that reached hooks are counted exactly, and once done the protocol has no connection left.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
class LineFramingFuzzTest {

    private static final Logger LOG = Logger.getLogger(LineFramingFuzzTest.class);

    static final int CASES = 1000;
    static final int BATCH = 10;
    static final long PING_SEED = 0x5EED_0001L;
    static final long SMTP_SEED = 0x5EED_0002L;
    static final String GREETING = "220 smprotocol.demo ESMTP ready";

    @Inject
    ProtocolManager manager;

    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.replies.unknown-command")
    String pingUnknown;
    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.replies.line-too-long")
    String pingTooLong;
    @ConfigProperty(name = "quarkus.smprotocol.protocols.ping.max-line-length", defaultValue = "8192")
    int pingMax;
    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.max-line-length")
    int smtpMax;
    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.replies.line-too-long", defaultValue = "500 Line too long")
    String smtpTooLong;
    @ConfigProperty(name = "quarkus.smprotocol.protocols.smtp.replies.protocol-error", defaultValue = "500 Bare CR or LF not allowed")
    String smtpProtocolError;

    /** A protocol under fuzz: how to model it and how to end a case. */
    record Target(String name, LineModel model, int maxLineLength, String sync, String syncReply, String greeting) {
    }

    @Test
    void pingAnswersExactlyWhatTheLenientFramingPromises() throws Exception {
        Function<String, String> answer = line -> switch (Command.parse(line).verb()) {
            case "PING" -> "+PONG";
            case "QUIT" -> null;
            default -> pingUnknown;
        };
        fuzz(new Target("ping", new LineModel(false, pingMax, pingTooLong, null, answer), pingMax, "PING", "+PONG",
                null), PING_SEED);
    }

    @Test
    void smtpAnswersExactlyWhatTheStrictFramingPromises() throws Exception {
        // the fuzz keeps to stateless commands: a transaction or DATA would change what later lines mean
        // (and HELP, whose reply has several lines)
        Set<String> stateful = Set.of("MAIL", "RCPT", "DATA", "QUIT", "HELO", "EHLO", "HELP");
        Function<String, String> answer = line -> {
            String verb = Command.parse(line).verb();
            if (stateful.contains(verb)) {
                return null;
            }
            return switch (verb) {
                case "NOOP", "RSET" -> "250 OK";
                case "VRFY" -> "252 Cannot VRFY user, but will accept message and attempt delivery";
                case "EXPN" -> "502 Command not implemented";
                default -> "500 Unknown command";
            };
        };
        fuzz(new Target("smtp", new LineModel(true, smtpMax, smtpTooLong, smtpProtocolError, answer), smtpMax, "NOOP",
                "250 OK", GREETING), SMTP_SEED);
    }

    private void fuzz(Target target, long seed) throws Exception {
        ProtocolServer server = Reliability.protocol(manager, target.name());
        Reliability.awaitIdle(server);
        int port = Reliability.port(server);
        long linesBefore = server.linesReceived();
        Random random = new Random(seed);
        LineModel model = target.model();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        LineClient client = null;
        long bytes = 0;
        long replies = 0;
        long handled = 0;
        long start = System.nanoTime();
        try {
            for (int c = 0; c < CASES; c++) {
                if (c % BATCH == 0) {
                    if (client != null) {
                        if (c / BATCH % 2 == 0) {
                            client.abort();
                        } else {
                            client.close();
                        }
                    }
                    // a new connection gets a fresh framer
                    handled += model.handled();
                    model = target.model().copy();
                    client = LineClient.connect(port, Duration.ofSeconds(20));
                    if (target.greeting() != null) {
                        assertThat(client.readLine()).isEqualTo(target.greeting());
                    }
                }
                // a case the model refuses (it holds QUIT, MAIL...) is drawn again, from the same random sequence
                byte[] input;
                List<String> expected;
                LineModel next;
                int draws = 0;
                do {
                    input = generate(random, target);
                    next = model.copy();
                    expected = next.feed(input);
                    assertThat(++draws).as("draws for case %d", c).isLessThan(100);
                } while (expected == null);
                model = next;
                assertThat(expected).as("case %d ends with the answer to %s", c, target.sync()).isNotEmpty()
                        .last().isEqualTo(target.syncReply());
                int[] pieces = pieces(random, input.length);

                LineClient sending = client;
                byte[] toSend = input;
                Future<?> written = writer.submit(() -> {
                    int at = 0;
                    for (int piece : pieces) {
                        sending.sendInPieces(Arrays.copyOfRange(toSend, at, at + piece), piece);
                        at += piece;
                    }
                    return null;
                });
                List<String> actual = new ArrayList<>(expected.size());
                try {
                    for (int i = 0; i < expected.size(); i++) {
                        actual.add(client.readLine());
                    }
                } catch (Exception e) {
                    throw new AssertionError(describe(target, seed, c, input, expected, actual) + "\nfailed reading: " + e,
                            e);
                }
                written.get(30, TimeUnit.SECONDS);
                if (!actual.equals(expected)) {
                    throw new AssertionError(describe(target, seed, c, input, expected, actual));
                }
                bytes += input.length;
                replies += expected.size();
            }
            // nothing more than the model's replies came
            assertThat(client.command(target.sync())).isEqualTo(target.syncReply());
            model.feed((target.sync() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            handled += model.handled();
        } finally {
            writer.shutdownNow();
            writer.awaitTermination(10, TimeUnit.SECONDS);
            if (client != null) {
                client.close();
            }
        }
        Reliability.awaitOpenConnections(server, 0);
        assertThat(server.linesReceived() - linesBefore).as("lines that reached hooks").isEqualTo(handled);
        LOG.infof("[%s] %d fuzz cases (seed %#x): %d bytes, %d replies as modelled, %d lines to hooks, %d ms",
                target.name(), CASES, seed, bytes, replies, handled, (System.nanoTime() - start) / 1_000_000);
    }

    // ---- generating

    private static final String[] COMMANDS = { "PING", "ping", "PiNg extra words", "NOOP", "noop x", "RSET", "HELP",
            "\tPING", " NOOP", "PING\0", "NOOP\0", "", " ", "VRFY <a@b>", "X".repeat(40) };
    private static final String[] ENDINGS = { "\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\n\r", "" };
    private static final byte[][] UTF8 = { "é".getBytes(StandardCharsets.UTF_8), "你".getBytes(StandardCharsets.UTF_8),
            "😀".getBytes(StandardCharsets.UTF_8), { (byte) 0xc0, (byte) 0xae }, { (byte) 0xff },
            { (byte) 0x80 }, { (byte) 0xe4, (byte) 0xbd }, { (byte) 0xf0, (byte) 0x9f, (byte) 0x98 },
            { (byte) 0xed, (byte) 0xa0, (byte) 0x80 } };

    /** One case: 1 to 8 random segments, then CR LF and the protocol's PING or NOOP. */
    private static byte[] generate(Random random, Target target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int segments = 1 + random.nextInt(8);
        int max = target.maxLineLength();
        for (int s = 0; s < segments; s++) {
            switch (random.nextInt(10)) {
                case 0 -> {
                    byte[] noise = new byte[random.nextInt(300)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
                case 1 -> {
                    int n = random.nextInt(80);
                    for (int i = 0; i < n; i++) {
                        out.write(0x20 + random.nextInt(95));
                    }
                }
                case 2 -> {
                    out.writeBytes(COMMANDS[random.nextInt(COMMANDS.length)].getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(ENDINGS[random.nextInt(ENDINGS.length)].getBytes(StandardCharsets.US_ASCII));
                }
                case 3 -> {
                    int n = 1 + random.nextInt(200);
                    for (int i = 0; i < n; i++) {
                        out.write(random.nextBoolean() ? '\r' : '\n');
                    }
                }
                case 4 -> {
                    out.writeBytes(new byte[1 + random.nextInt(50)]);
                    if (random.nextBoolean()) {
                        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                case 5 -> {
                    // around the limit: a few bytes under it to well over it, sometimes three times over
                    int n = random.nextInt(8) == 0 ? 3 * max : Math.max(0, max - 3 + random.nextInt(44));
                    byte fill = (byte) ('a' + random.nextInt(26));
                    for (int i = 0; i < n; i++) {
                        out.write(random.nextInt(50) == 0 ? '\r' : fill);
                    }
                    out.writeBytes(ENDINGS[random.nextInt(ENDINGS.length)].getBytes(StandardCharsets.US_ASCII));
                }
                case 6 -> {
                    // exactly the limit, ended by CR LF, or by CR CR LF (one byte over, in lenient mode)
                    for (int i = 0; i < max; i++) {
                        out.write('m');
                    }
                    out.writeBytes((random.nextBoolean() ? "\r\n" : "\r\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                case 7 -> {
                    int n = 1 + random.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        out.writeBytes(UTF8[random.nextInt(UTF8.length)]);
                    }
                }
                case 8 -> {
                    int n = 1 + random.nextInt(30);
                    for (int i = 0; i < n; i++) {
                        out.write(" \t\r\n".charAt(random.nextInt(4)));
                    }
                }
                default -> {
                    String alphabet = "PINGOQUT \r\n\0";
                    int n = 1 + random.nextInt(100);
                    for (int i = 0; i < n; i++) {
                        out.write(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
            }
        }
        out.writeBytes(("\r\n" + target.sync() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Random piece sizes adding up to {@code length}: single bytes to 2 KiB. */
    private static int[] pieces(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int bound = random.nextInt(4) == 0 ? 8 : 2048;
            int size = Math.min(left, 1 + random.nextInt(bound));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String describe(Target target, long seed, int c, byte[] input, List<String> expected,
            List<String> actual) {
        int first = 0;
        while (first < Math.min(expected.size(), actual.size()) && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        return "[" + target.name() + "] seed " + Long.toHexString(seed) + ", case " + c + ": the replies differ from the"
                + " model at reply " + first + " of " + expected.size() + "\n  expected from there: "
                + expected.subList(first, Math.min(expected.size(), first + 5)) + "\n  received from there: "
                + actual.subList(Math.min(first, actual.size()), Math.min(actual.size(), first + 5)) + "\n  input ("
                + input.length + " bytes): " + escape(input, 600);
    }

    static String escape(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\\' -> text.append("\\\\");
                default -> {
                    if (b < 0x20 || b >= 0x7f) {
                        text.append(String.format("\\x%02x", b));
                    } else {
                        text.append((char) b);
                    }
                }
            }
        }
        return bytes.length > max ? text + "..." : text.toString();
    }
}
