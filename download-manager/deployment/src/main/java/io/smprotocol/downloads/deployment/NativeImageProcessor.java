package io.smprotocol.downloads.deployment;

import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Type;
import org.jboss.logging.Logger;

import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveHierarchyBuildItem;
import io.quarkus.deployment.pkg.builditem.ArtifactResultBuildItem;
import io.quarkus.deployment.pkg.steps.NativeOrNativeSourcesBuild;
import io.smprotocol.downloads.runtime.tracking.JournalEntry;
import io.smprotocol.downloads.runtime.tracking.embedded.EmbeddedMongo;

/**
 * What a native executable must keep of the classes the download manager reads by reflection: the tracking
 * journal's entries (Jackson) and the GeoIP2 responses (the MaxMind database decoder calls their constructors). The
 * embedded MongoDB runs on the JVM only; a native build says so, and the executable refuses to start it.
 */
class NativeImageProcessor {

    private static final Logger LOG = Logger.getLogger(NativeImageProcessor.class);

    private static final List<String> GEOIP_PACKAGES = List.of("com.maxmind.geoip2.model", "com.maxmind.geoip2.record");

    /** The hierarchy below is walked in the index: the entry type must be in it. */
    @BuildStep(onlyIf = NativeOrNativeSourcesBuild.class)
    AdditionalIndexedClassesBuildItem journalEntryIndexed() {
        return new AdditionalIndexedClassesBuildItem(JournalEntry.class.getName());
    }

    @BuildStep(onlyIf = NativeOrNativeSourcesBuild.class)
    ReflectiveHierarchyBuildItem journalEntries() {
        return ReflectiveHierarchyBuildItem.builder(Type.create(DotName.createSimple(JournalEntry.class),
                Type.Kind.CLASS)).source(getClass().getSimpleName()).build();
    }

    @BuildStep(onlyIf = NativeOrNativeSourcesBuild.class)
    IndexDependencyBuildItem geoIpModel() {
        return new IndexDependencyBuildItem("com.maxmind.geoip2", "geoip2");
    }

    @BuildStep(onlyIf = NativeOrNativeSourcesBuild.class)
    void geoIpResponses(CombinedIndexBuildItem index, BuildProducer<ReflectiveClassBuildItem> reflective) {
        String[] classes = index.getIndex().getKnownClasses().stream().map(ClassInfo::name).map(DotName::toString)
                .filter(name -> GEOIP_PACKAGES.stream().anyMatch(name::startsWith)).sorted().toArray(String[]::new);
        reflective.produce(ReflectiveClassBuildItem.builder(classes).constructors().methods().fields().build());
    }

    @BuildStep(onlyIf = NativeOrNativeSourcesBuild.class)
    @Produce(ArtifactResultBuildItem.class)
    void embeddedMongoIsJvmOnly() {
        Config config = ConfigProvider.getConfig();
        boolean server = config.getOptionalValue("quarkus.mongodb.connection-string", String.class).isPresent()
                || config.getOptionalValue("quarkus.mongodb.hosts", String.class).isPresent();
        boolean off = !config.getOptionalValue("quarkus.smprotocol.tracking.enabled", Boolean.class).orElse(true)
                || !config.getOptionalValue("quarkus.smprotocol.embedded-mongo.enabled", Boolean.class).orElse(true);
        if (server || off) {
            return;
        }
        LOG.warnf("%s. Unless the application sets quarkus.mongodb.connection-string (a MongoDB server) or turns"
                + " tracking off at run time, the executable refuses to start.", EmbeddedMongo.JVM_ONLY);
    }
}
