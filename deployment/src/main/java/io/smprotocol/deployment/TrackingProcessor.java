package io.smprotocol.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigBuilderBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.smprotocol.runtime.tracking.Download;
import io.smprotocol.runtime.tracking.DownloadQueries;
import io.smprotocol.runtime.tracking.DownloadTracker;
import io.smprotocol.runtime.tracking.DownloadsResource;
import io.smprotocol.runtime.tracking.GeoLookup;
import io.smprotocol.runtime.tracking.JournalFlusher;
import io.smprotocol.runtime.tracking.RequestRecord;
import io.smprotocol.runtime.tracking.TrackingRecorder;
import io.smprotocol.runtime.tracking.embedded.EmbeddedMongoConfigBuilder;

/**
 * Download tracking: the tracker, its MongoDB entities (indexed so that Panache enhances them), the flusher's
 * scheduled job, the stats API, the embedded MongoDB's connection string, and the start before the download
 * listener.
 */
class TrackingProcessor {

    @BuildStep
    AdditionalBeanBuildItem trackingBeans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(DownloadTracker.class, GeoLookup.class, JournalFlusher.class, DownloadQueries.class,
                        DownloadsResource.class)
                .setUnremovable()
                .build();
    }

    @BuildStep
    AdditionalIndexedClassesBuildItem trackingClasses() {
        return new AdditionalIndexedClassesBuildItem(Download.class.getName(), RequestRecord.class.getName(),
                DownloadsResource.class.getName(), JournalFlusher.class.getName());
    }

    @BuildStep
    RunTimeConfigBuilderBuildItem embeddedMongo() {
        return new RunTimeConfigBuilderBuildItem(EmbeddedMongoConfigBuilder.class);
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Produce(TrackingStartedBuildItem.class)
    void startTracking(TrackingRecorder recorder, ShutdownContextBuildItem shutdown,
            BeanContainerBuildItem beanContainer, MicrometerBuildItem micrometer) {
        recorder.start(shutdown, micrometer.present());
    }
}
