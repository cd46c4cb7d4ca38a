package io.smprotocol.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.vertx.core.deployment.CoreVertxBuildItem;
import io.smprotocol.runtime.download.DownloadEvents;
import io.smprotocol.runtime.download.DownloadRecorder;
import io.smprotocol.runtime.download.DownloadServer;
import io.smprotocol.runtime.download.LocalFileCache;
import io.smprotocol.runtime.memcached.Memcached;

/**
 * The built-in download manager: its beans, and its start at run time.
 */
class DownloadProcessor {

    @BuildStep
    AdditionalBeanBuildItem downloadBeans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(DownloadServer.class, DownloadEvents.class, Memcached.class)
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

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Produce(ServiceStartBuildItem.class)
    @Produce(ListenersStartedBuildItem.class)
    @Consume(TrackingStartedBuildItem.class)
    void startDownloads(DownloadRecorder recorder, ShutdownContextBuildItem shutdown, CoreVertxBuildItem vertx,
            BeanContainerBuildItem beanContainer) {
        recorder.start(shutdown);
    }
}
