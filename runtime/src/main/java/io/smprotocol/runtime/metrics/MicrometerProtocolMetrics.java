package io.smprotocol.runtime.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.smprotocol.CloseReason;
import io.smprotocol.runtime.server.ProtocolMetrics;
import io.smprotocol.runtime.server.ManagedListener;

/**
 * A protocol's metrics in Micrometer, every meter tagged {@code protocol=NAME}:
 * {@code smprotocol.connections.open} (gauge), {@code smprotocol.connections.accepted},
 * {@code smprotocol.connections.refused}, {@code smprotocol.connections.closed} (tag {@code reason}),
 * {@code smprotocol.bytes.in}, {@code smprotocol.bytes.out}, {@code smprotocol.lines}, {@code smprotocol.commands},
 * {@code smprotocol.command.errors}, {@code smprotocol.command.latency} (tag {@code verb}: the command's verb, or
 * {@code OTHER} past 256 verbs or for words that are no verb), {@code smprotocol.hook.errors},
 * {@code smprotocol.hook.duration} (timer, tag {@code hook}), {@code smprotocol.backend.unavailable}. Verbs are
 * bounded, so a client sending random words cannot grow the number of meters without limit.
 */
public final class MicrometerProtocolMetrics implements ProtocolMetrics {

    private final MeterRegistry registry;
    private final String protocol;
    private final Counter accepted;
    private final Counter refused;
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter lines;
    private final Counter hookErrors;
    private final Counter backendUnavailable;
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Map<String, Counter> commandErrors = new ConcurrentHashMap<>();
    private final Map<String, Timer> commandLatencies = new ConcurrentHashMap<>();
    private final Map<String, Timer> hookDurations = new ConcurrentHashMap<>();

    MicrometerProtocolMetrics(MeterRegistry registry, ManagedListener server) {
        this.registry = registry;
        this.protocol = server.name();
        Gauge.builder("smprotocol.connections.open", server, ManagedListener::openConnections)
                .tag("protocol", protocol).description("Connections open now").register(registry);
        accepted = counter("smprotocol.connections.accepted", "Connections accepted");
        refused = counter("smprotocol.connections.refused", "Connections refused by a limit");
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, Counter.builder("smprotocol.connections.closed").tag("protocol", protocol)
                    .tag("reason", reason.name()).description("Connections closed, by reason").register(registry));
        }
        bytesIn = counter("smprotocol.bytes.in", "Bytes received from clients");
        bytesOut = counter("smprotocol.bytes.out", "Bytes sent to clients");
        lines = counter("smprotocol.lines", "Lines received");
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
        bytesIn.increment(bytes);
    }

    @Override
    public void bytesOut(long bytes) {
        bytesOut.increment(bytes);
    }

    @Override
    public void line() {
        lines.increment();
    }

    @Override
    public void command(String verb) {
        commands.computeIfAbsent(verb, v -> Counter.builder("smprotocol.commands").tag("protocol", protocol)
                .tag("verb", v).description("Commands received, by verb").register(registry)).increment();
    }

    @Override
    public void commandAnswered(String verb, long latencyNanos, boolean error) {
        commandLatencies.computeIfAbsent(verb, v -> Timer.builder("smprotocol.command.latency")
                .tag("protocol", protocol).tag("verb", v)
                .description("From a command to its reply (proxy: the backend's first reply)").register(registry))
                .record(latencyNanos, TimeUnit.NANOSECONDS);
        if (error) {
            commandErrors.computeIfAbsent(verb, v -> Counter.builder("smprotocol.command.errors")
                    .tag("protocol", protocol).tag("verb", v)
                    .description("Commands answered with an error, by verb").register(registry)).increment();
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
    public void hookDuration(String hook, long nanos) {
        hookDurations.computeIfAbsent(hook, h -> Timer.builder("smprotocol.hook.duration").tag("protocol", protocol)
                .tag("hook", h).description("Time from a hook's call to its result").register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
