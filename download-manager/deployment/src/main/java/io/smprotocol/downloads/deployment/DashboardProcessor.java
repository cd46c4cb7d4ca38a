package io.smprotocol.downloads.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.smprotocol.deployment.SensitiveEndpointBuildItem;
import io.smprotocol.downloads.runtime.dashboard.DashboardRoutes;
import io.smprotocol.downloads.runtime.dashboard.ListenersResource;
import io.smprotocol.downloads.runtime.dashboard.LiveDownloads;
import io.smprotocol.downloads.runtime.dashboard.LiveResource;

/**
 * The operator's dashboard: its page routes, the live list of responses in flight and the listeners' resource. They
 * are always built in; {@code quarkus.smprotocol.dashboard.enabled} decides at run time whether the page is served.
 */
class DashboardProcessor {

    @BuildStep
    AdditionalBeanBuildItem dashboardBeans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(DashboardRoutes.class, LiveDownloads.class, LiveResource.class, ListenersResource.class)
                .setUnremovable()
                .build();
    }

    /** The dashboard's restart button calls this on the application's HTTP server, beside the stats API. */
    @BuildStep
    SensitiveEndpointBuildItem listenerRestart() {
        return new SensitiveEndpointBuildItem(false, "POST", "/smprotocol/api/listeners/NAME/restart", "/smprotocol/*");
    }

    /** REST finds resources in the index; the runtime jar of an extension is not indexed by itself. */
    @BuildStep
    AdditionalIndexedClassesBuildItem dashboardResources() {
        return new AdditionalIndexedClassesBuildItem(LiveResource.class.getName(), ListenersResource.class.getName());
    }
}
