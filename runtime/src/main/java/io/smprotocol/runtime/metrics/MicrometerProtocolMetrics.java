package io.smprotocol.runtime.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.smprotocol.CloseReason;
import io.smprotocol.runtime.server.ManagedListener;
import io.smprotocol.runtime.server.ProtocolMetrics;

/**
 * A protocol's metrics in Micrometer, every meter tagged {@code protocol=NAME}:
 * {@code smprotocol.connections.open} (gauge), {@code smprotocol.connections.accepted},
 * {@code smprotocol.connections.refused}, {@code smprotocol.connections.closed} (tag {@code reason}),
 * {@code smprotocol.bytes.in}, {@code smprotocol.bytes.out}, {@code smprotocol.lines}, {@code smprotocol.commands},
 * {@code smprotocol.command.errors}, {@code smprotocol.command.latency} (tag {@code verb}: the command's verb, or
 * {@code OTHER} past 256 verbs or for words that are no verb), {@code smprotocol.hook.errors},
 * {@code smprotocol.hook.duration} (timer, tag {@code hook}), {@code smprotocol.backend.unavailable},
 * {@code smprotocol.bad.input} (tag {@code cause}: a word of the listener's own, such as {@code obs-fold}). Verbs are
 * bounded, so a client sending random words cannot grow the number of meters without limit.
 * <p>
 * What happens per line, command, hook call or read is counted in {@link LongAdder}s (connections hand over their
 * counts once per write batch) that function meters read when the metrics are scraped: a Micrometer counter or timer
 * updated per command costs more than answering a pipelined command. Timers therefore report count and total time;
 * the highest latency of each verb is in the statistics endpoint. The counts of a protocol live as long as the JVM,
 * as the meters reading them do in Micrometer's global registry: in dev mode, a restarted application registers the
 * same meters again, gets the existing ones back, and must count into what they read.
 */
public final class MicrometerProtocolMetrics implements ProtocolMetrics {

    /** The counts behind each protocol's function meters, by protocol name. */
    private static final Map<String, Counts> COUNTS = new ConcurrentHashMap<>();

    /** A count and a total time. */
    private static final class Times {
        final LongAdder count = new LongAdder();
        final LongAdder totalNanos = new LongAdder();

        void record(long calls, long nanos) {
            count.add(calls);
            totalNanos.add(nanos);
        }

        long count() {
            return count.sum();
        }

        double totalNanos() {
            return totalNanos.sum();
        }
    }

    /** The counts of one verb. */
    private static final class VerbCounts {
        final LongAdder commands = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Times latency = new Times();
    }

    /** The counts of one protocol. */
    private static final class Counts {
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final LongAdder lines = new LongAdder();
        final Map<String, VerbCounts> verbs = new ConcurrentHashMap<>();
        final Map<String, Times> hooks = new ConcurrentHashMap<>();
    }

    private final MeterRegistry registry;
    private final String protocol;
    private final Counts counts;
    private final Counter accepted;
    private final Counter refused;
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Counter hookErrors;
    private final Counter backendUnavailable;
    /** The verbs and hooks whose meters this application registered. */
    private final Map<String, VerbCounts> verbs = new ConcurrentHashMap<>();
    private final Map<String, Times> hooks = new ConcurrentHashMap<>();
    private final Map<String, Counter> badInput = new ConcurrentHashMap<>();

    MicrometerProtocolMetrics(MeterRegistry registry, ManagedListener server) {
        this.registry = registry;
        this.protocol = server.name();
        this.counts = COUNTS.computeIfAbsent(protocol, name -> new Counts());
        Gauge.builder("smprotocol.connections.open", server, ManagedListener::openConnections)
                .tag("protocol", protocol).description("Connections open now").register(registry);
        accepted = counter("smprotocol.connections.accepted", "Connections accepted");
        refused = counter("smprotocol.connections.refused", "Connections refused by a limit");
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, Counter.builder("smprotocol.connections.closed").tag("protocol", protocol)
                    .tag("reason", reason.name()).description("Connections closed, by reason").register(registry));
        }
        counted("smprotocol.bytes.in", counts.bytesIn, "Bytes received from clients");
        counted("smprotocol.bytes.out", counts.bytesOut, "Bytes sent to clients");
        counted("smprotocol.lines", counts.lines, "Lines received");
        hookErrors = counter("smprotocol.hook.errors", "Hooks that failed");
        backendUnavailable = counter("smprotocol.backend.unavailable",
                "Proxy mode: client connections whose backend could not be reached");
    }

    /** @return a factory registering in Micrometer's global registry, which Quarkus fills with its registries */
    public static ProtocolMetrics.Factory factory() {
        return server -> new MicrometerProtocolMetrics(Metrics.globalRegistry, server);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).tag("protocol", protocol).description(description).register(registry);
    }

    private void counted(String name, LongAdder count, String description) {
        FunctionCounter.builder(name, count, LongAdder::sum).tag("protocol", protocol).description(description)
                .register(registry);
    }

    private VerbCounts verb(String verb) {
        VerbCounts known = verbs.get(verb);
        return known != null ? known : verbs.computeIfAbsent(verb, v -> {
            VerbCounts shared = counts.verbs.computeIfAbsent(v, ignored -> new VerbCounts());
            FunctionCounter.builder("smprotocol.commands", shared.commands, LongAdder::sum).tag("protocol", protocol)
                    .tag("verb", v).description("Commands received, by verb").register(registry);
            FunctionCounter.builder("smprotocol.command.errors", shared.errors, LongAdder::sum)
                    .tag("protocol", protocol).tag("verb", v).description("Commands answered with an error, by verb")
                    .register(registry);
            FunctionTimer.builder("smprotocol.command.latency", shared.latency, Times::count, Times::totalNanos,
                    TimeUnit.NANOSECONDS).tag("protocol", protocol).tag("verb", v)
                    .description("From a command to its reply (proxy: the backend's first reply)").register(registry);
            return shared;
        });
    }

    private Times hook(String hook) {
        Times known = hooks.get(hook);
        return known != null ? known : hooks.computeIfAbsent(hook, h -> {
            Times shared = counts.hooks.computeIfAbsent(h, ignored -> new Times());
            FunctionTimer.builder("smprotocol.hook.duration", shared, Times::count, Times::totalNanos,
                    TimeUnit.NANOSECONDS).tag("protocol", protocol).tag("hook", h)
                    .description("Time from a hook's call to its result").register(registry);
            return shared;
        });
    }

    @Override
    public void accepted() {
        accepted.increment();
    }

    @Override
    public void refused() {
        refused.increment();
    }

    @Override
    public void closed(CloseReason reason) {
        closed.get(reason).increment();
    }

    @Override
    public void bytesIn(long bytes) {
        counts.bytesIn.add(bytes);
    }

    @Override
    public void bytesOut(long bytes) {
        counts.bytesOut.add(bytes);
    }

    @Override
    public void lines(long count) {
        counts.lines.add(count);
    }

    @Override
    public void commands(String verb, long count) {
        verb(verb).commands.add(count);
    }

    @Override
    public void commandsAnswered(String verb, long count, long errors, long totalNanos) {
        VerbCounts counted = verb(verb);
        counted.latency.record(count, totalNanos);
        if (errors > 0) {
            counted.errors.add(errors);
        }
    }

    @Override
    public void hookFailed() {
        hookErrors.increment();
    }

    @Override
    public void backendUnavailable() {
        backendUnavailable.increment();
    }

    @Override
    public void badInput(String cause) {
        badInput.computeIfAbsent(cause, c -> Counter.builder("smprotocol.bad.input").tag("protocol", protocol)
                .tag("cause", c).description("Requests or input refused as malformed, by cause").register(registry))
                .increment();
    }

    @Override
    public void hookDurations(String hook, long calls, long totalNanos) {
        hook(hook).record(calls, totalNanos);
    }
}
