package io.smprotocol.downloads.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigBuilderBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.smprotocol.deployment.MicrometerBuildItem;
import io.smprotocol.deployment.SensitiveEndpointBuildItem;
import io.smprotocol.downloads.runtime.TrackingRecorder;
import io.smprotocol.downloads.runtime.tracking.Download;
import io.smprotocol.downloads.runtime.tracking.DownloadQueries;
import io.smprotocol.downloads.runtime.tracking.DownloadTracker;
import io.smprotocol.downloads.runtime.tracking.DownloadsResource;
import io.smprotocol.downloads.runtime.tracking.FilterParameters;
import io.smprotocol.downloads.runtime.tracking.GeoLookup;
import io.smprotocol.downloads.runtime.tracking.JournalFlusher;
import io.smprotocol.downloads.runtime.tracking.RequestRecord;
import io.smprotocol.downloads.runtime.tracking.embedded.EmbeddedMongoConfigBuilder;

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

    /** Downloads carry every client's IP: the start warns when anyone who reaches the HTTP port can read them. */
    @BuildStep
    SensitiveEndpointBuildItem statsApi() {
        return new SensitiveEndpointBuildItem(false, "GET", "/smprotocol/api/downloads", "/smprotocol/*");
    }

    @BuildStep
    AdditionalIndexedClassesBuildItem trackingClasses() {
        return new AdditionalIndexedClassesBuildItem(Download.class.getName(), RequestRecord.class.getName(),
                DownloadsResource.class.getName(), FilterParameters.class.getName(), JournalFlusher.class.getName());
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
