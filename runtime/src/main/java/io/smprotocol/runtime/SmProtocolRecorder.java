package io.smprotocol.runtime;

import java.util.List;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import io.smprotocol.runtime.hook.ProtocolDefinition;
import io.smprotocol.runtime.metrics.MetricsSupport;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolMetrics;

/**
 * Starts the protocols found at build time.
 */
@Recorder
public class SmProtocolRecorder {

    /**
     * @param protocols the protocols and their hooks
     * @param shutdown where to register the graceful stop
     * @param micrometer whether the application has Micrometer, to report metrics to
     */
    public void start(List<ProtocolDefinition> protocols, ShutdownContext shutdown, boolean micrometer) {
        ProtocolManager manager = Arc.container().instance(ProtocolManager.class).get();
        manager.start(protocols.stream().map(ProtocolDefinition::withSingletonInstance).toList(),
                micrometer ? MetricsSupport.micrometer() : server -> ProtocolMetrics.NONE);
        shutdown.addShutdownTask(manager::shutdown);
    }
}
