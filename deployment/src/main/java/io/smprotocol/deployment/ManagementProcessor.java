package io.smprotocol.deployment;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.vertx.http.deployment.NonApplicationRootPathBuildItem;
import io.quarkus.vertx.http.deployment.RouteBuildItem;
import io.quarkus.vertx.http.runtime.management.ManagementInterfaceBuildTimeConfig;
import io.smprotocol.runtime.ManagementRecorder;
import io.smprotocol.runtime.management.ProtocolReadinessChecks;

/**
 * The operational side: management endpoints, readiness checks when SmallRye Health is present, SIGHUP, and the
 * warning about sensitive endpoints left open.
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

    /** The operations that restart or stop protocols; the reading ones show no client's IP. */
    @BuildStep
    void sensitiveManagementEndpoints(NonApplicationRootPathBuildItem paths, ManagementInterfaceBuildTimeConfig management,
            LaunchModeBuildItem launchMode, BuildProducer<SensitiveEndpointBuildItem> endpoints) {
        // Quarkus drops the trailing slash of the path it resolves
        String resolved = paths.resolveManagementPath("smprotocol/", management, launchMode, false);
        String root = resolved.endsWith("/") ? resolved : resolved + "/";
        String guard = root + "*";
        endpoints.produce(new SensitiveEndpointBuildItem(true, "POST", root + "restart", guard));
        for (String operation : List.of("restart", "stop", "start")) {
            endpoints.produce(new SensitiveEndpointBuildItem(true, "POST", root + "protocols/NAME/" + operation, guard));
        }
    }

    /**
     * One check per router: management routes are on the management interface when it is enabled, on the main HTTP
     * server otherwise.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void warnAboutOpenEndpoints(List<SensitiveEndpointBuildItem> endpoints, Capabilities capabilities,
            ManagementInterfaceBuildTimeConfig management, ManagementRecorder recorder) {
        boolean security = capabilities.isPresent(Capability.SECURITY);
        for (boolean onManagementInterface : new boolean[] { true, false }) {
            List<SensitiveEndpointBuildItem> here = endpoints.stream()
                    .filter(endpoint -> (endpoint.managementRoute() && management.enabled()) == onManagementInterface)
                    .toList();
            if (!here.isEmpty()) {
                recorder.warnAboutOpenEndpoints(onManagementInterface, security, management.auth().enabled(),
                        new ArrayList<>(here.stream().map(SensitiveEndpointBuildItem::endpoint).toList()),
                        new ArrayList<>(here.stream().map(SensitiveEndpointBuildItem::guardPath).toList()));
            }
        }
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
