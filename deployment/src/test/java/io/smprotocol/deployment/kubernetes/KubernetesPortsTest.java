package io.smprotocol.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;
import io.smprotocol.OnCommand;
import io.smprotocol.Protocol;

/**
 * A production build with {@code quarkus-kubernetes}: a protocol on port 0 cannot be a port of the manifests, and
 * the build says so, naming its key. (The manifests themselves are checked on the demo application, a Maven
 * project of its own, in {@code KubernetesManifestIT}.)
 */
class KubernetesPortsTest {

    @RegisterExtension
    static final QuarkusProdModeTest app = new QuarkusProdModeTest()
            .withApplicationRoot(jar -> jar.addClasses(Fixed.class, Ephemeral.class))
            .setApplicationName("kubernetes-ports")
            .setApplicationVersion("0.1")
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-kubernetes", Version.getVersion())))
            .overrideConfigKey("quarkus.smprotocol.protocols.fixed.port", "2525")
            .overrideConfigKey("quarkus.smprotocol.protocols.ephemeral.port", "0")
            .setLogRecordPredicate(record -> record.getLoggerName().endsWith("KubernetesProcessor"));

    @ProdBuildResults
    ProdModeTestResults results;

    @Test
    void aProtocolOnPortZeroIsNamedInAWarning() {
        List<String> messages = results.getRetainedBuildLogRecords().stream()
                .map(record -> record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage())
                .toList();
        assertThat(messages).anyMatch(message -> message.contains("quarkus.smprotocol.protocols.ephemeral.port=0")
                && message.contains("gets no container or Service port"));
        assertThat(messages).noneMatch(message -> message.contains("protocols.fixed.port"));
    }

    @Protocol("fixed")
    public static class Fixed {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }

    @Protocol("ephemeral")
    public static class Ephemeral {
        @OnCommand("PING")
        String ping() {
            return "PONG";
        }
    }
}
