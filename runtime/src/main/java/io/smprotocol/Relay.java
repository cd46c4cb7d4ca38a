package io.smprotocol;

import java.util.List;
import java.util.Objects;

/**
 * What a hook of a proxying protocol does with the traffic it sees. Hooks of a proxy may return:
 * <ul>
 * <li>{@code void} or {@code null}, or {@link #forward()}: the command (or reply) goes on unchanged, byte for
 * byte;</li>
 * <li>{@link #replace(String...)}: these lines go on instead, encoded by the protocol's {@link Codec};</li>
 * <li>{@link #drop()}: nothing goes on;</li>
 * <li>a {@code String} or {@link Reply}: the hook answers the client itself and the command does not reach the
 * backend ({@link Reply#close(String...)} closes the connection after answering).</li>
 * </ul>
 * A protocol that does not proxy treats {@link #replace(String...)} like a {@link Reply} with those lines and
 * {@link #forward()} or {@link #drop()} like no reply.
 *
 * @param action what to do
 * @param lines the replacement lines, for {@link Action#REPLACE}
 */
public record Relay(Action action, List<String> lines) {

    private static final Relay FORWARD = new Relay(Action.FORWARD, List.of());
    private static final Relay DROP = new Relay(Action.DROP, List.of());

    /** What a {@link Relay} does. */
    public enum Action {
        /** Pass the traffic on unchanged. */
        FORWARD,
        /** Pass other lines on instead. */
        REPLACE,
        /** Pass nothing on. */
        DROP
    }

    public Relay {
        Objects.requireNonNull(action, "action");
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    }

    /** @return pass the command or reply on unchanged */
    public static Relay forward() {
        return FORWARD;
    }

    /**
     * @param lines what to pass on instead, one command (or reply) per line
     * @return pass these lines on instead
     */
    public static Relay replace(String... lines) {
        return new Relay(Action.REPLACE, List.of(lines));
    }

    /** @return pass nothing on */
    public static Relay drop() {
        return DROP;
    }
}
