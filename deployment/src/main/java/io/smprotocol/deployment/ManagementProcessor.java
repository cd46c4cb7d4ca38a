package io.smprotocol.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.vertx.http.deployment.NonApplicationRootPathBuildItem;
import io.quarkus.vertx.http.deployment.RouteBuildItem;
import io.smprotocol.runtime.ManagementRecorder;
import io.smprotocol.runtime.management.ProtocolReadinessChecks;

/**
 * The operational side: management endpoints, readiness checks when SmallRye Health is present, SIGHUP.
 */
class ManagementProcessor {

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void managementEndpoints(ManagementRecorder recorder, NonApplicationRootPathBuildItem paths,
            BuildProducer<RouteBuildItem> routes) {
        var handler = recorder.managementHandler("/smprotocol/");
        routes.produce(paths.routeBuilder().management()
                .route("smprotocol/*")
                .displayOnNotFoundPage("SMProtocol protocols and restarts")
                .handler(handler)
                .build());
    }

    @BuildStep
    void readinessBean(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(ProtocolReadinessChecks.class));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Consume(ListenersStartedBuildItem.class)
    void readinessChecks(Capabilities capabilities, ManagementRecorder recorder) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            recorder.registerReadinessChecks();
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Consume(ListenersStartedBuildItem.class)
    void signals(ManagementRecorder recorder) {
        recorder.installSignalHandler();
    }
}
