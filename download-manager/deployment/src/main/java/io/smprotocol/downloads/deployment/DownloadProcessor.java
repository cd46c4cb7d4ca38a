package io.smprotocol.downloads.deployment;

import java.time.Duration;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.vertx.core.deployment.CoreVertxBuildItem;
import io.smprotocol.deployment.ExposedListenerBuildItem;
import io.smprotocol.deployment.ListenerAddressBuildItem;
import io.smprotocol.deployment.ListenersStartedBuildItem;
import io.smprotocol.deployment.PortsCheckedBuildItem;
import io.smprotocol.downloads.runtime.DownloadRecorder;
import io.smprotocol.downloads.runtime.files.LocalFileCache;
import io.smprotocol.downloads.runtime.http.DownloadEvents;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.lanes.EventLane;
import io.smprotocol.downloads.runtime.memcached.Memcached;
import io.smprotocol.downloads.runtime.sessions.DownloadSessions;
import io.smprotocol.runtime.config.ProtocolKeys;

/**
 * The built-in download manager: its beans, and its start at run time.
 */
class DownloadProcessor {

    private static final String FEATURE = "smprotocol-downloads";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem downloadBeans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(DownloadServer.class, DownloadEvents.class, Memcached.class, DownloadSessions.class,
                        EventLane.class)
                .setUnremovable()
                .build();
    }

    /** spymemcached picks its logger class by name; a native image must keep it. */
    @BuildStep
    ReflectiveClassBuildItem memcachedLogger() {
        return ReflectiveClassBuildItem.builder("net.spy.memcached.compat.log.SunLogger").constructors().build();
    }

    /** Caffeine picks the classes of the local file cache by name; a native image must keep them. */
    @BuildStep
    ReflectiveClassBuildItem localFileCacheClasses() {
        return ReflectiveClassBuildItem.builder(LocalFileCache.CAFFEINE_CLASSES.toArray(String[]::new)).constructors()
                .build();
    }

    /** The download listener is a port of the pod: the Kubernetes manifests declare it. */
    @BuildStep
    void exposedListener(BuildProducer<ExposedListenerBuildItem> exposed) {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("quarkus.smprotocol.download.enabled", Boolean.class).orElse(true)) {
            exposed.produce(new ExposedListenerBuildItem(DownloadServer.NAME, "quarkus.smprotocol.download.port",
                    config.getOptionalValue("quarkus.smprotocol.download.port", Integer.class).orElse(8081),
                    config.getOptionalValue("quarkus.smprotocol.download.drain-timeout", Duration.class)
                            .orElse(ProtocolKeys.DEFAULT_DRAIN_TIMEOUT)));
        }
    }

    /** The download listener takes part in the check that no two listeners share an address. */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    ListenerAddressBuildItem downloadAddress(DownloadRecorder recorder, BeanContainerBuildItem beanContainer) {
        return new ListenerAddressBuildItem(recorder.address());
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Produce(ServiceStartBuildItem.class)
    @Produce(ListenersStartedBuildItem.class)
    @Consume(TrackingStartedBuildItem.class)
    @Consume(PortsCheckedBuildItem.class)
    void startDownloads(DownloadRecorder recorder, ShutdownContextBuildItem shutdown, CoreVertxBuildItem vertx,
            BeanContainerBuildItem beanContainer) {
        recorder.start(shutdown);
    }
}
