package io.smprotocol.it.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.smprotocol.it.ExternalProgram;

/**
 * The Kubernetes manifests the demo's build generates: every listener a named port of the container and (but the
 * management interface) of the Service, the probes on the management port, a grace period that covers the drains,
 * the listeners on all interfaces of the pod, and the tracking data on a persistent volume.
 */
class KubernetesManifestIT {

    private static final Path MANIFEST_DIR = Path.of(System.getProperty("smprotocol.kubernetes.dir",
            "target/kubernetes"));

    private static final Map<String, JsonNode> MANIFESTS = new HashMap<>();

    @BeforeAll
    static void readManifests() throws IOException {
        Path yaml = MANIFEST_DIR.resolve("kubernetes.yml");
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(yaml.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                MANIFESTS.put(document.get("kind").asText(), document);
            }
        }
    }

    private static JsonNode container() {
        return MANIFESTS.get("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void everyListenerIsANamedContainerPort() {
        assertThat(ports(container().get("ports"), "containerPort")).containsOnly(
                Map.entry("smtp", 2525), Map.entry("ping", 6390), Map.entry("redis-proxy", 6380),
                Map.entry("download", 8081), Map.entry("http", 8080), Map.entry("management", 9000));
    }

    @Test
    void theServiceTakesEveryListenerButTheManagementInterface() {
        assertThat(ports(MANIFESTS.get("Service").at("/spec/ports"), "targetPort")).containsOnly(
                Map.entry("smtp", 2525), Map.entry("ping", 6390), Map.entry("redis-proxy", 6380),
                Map.entry("download", 8081), Map.entry("http", 8080));
    }

    @Test
    void probesAskTheHealthChecksOnTheManagementPort() {
        for (String[] probe : new String[][] { { "livenessProbe", "/q/health/live" },
                { "readinessProbe", "/q/health/ready" }, { "startupProbe", "/q/health/started" } }) {
            JsonNode get = container().at("/" + probe[0] + "/httpGet");
            assertThat(get.get("path").asText()).as(probe[0]).isEqualTo(probe[1]);
            assertThat(get.get("port").asInt()).as(probe[0]).isEqualTo(9000);
        }
    }

    @Test
    void theGracePeriodCoversTwiceTheDrainAndTheLastWrites() {
        // 2 x the 30 s default drain-timeout + 5 s, as the build's check computes it
        assertThat(MANIFESTS.get("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
                .isGreaterThanOrEqualTo(65);
    }

    @Test
    void theListenersListenOnEveryInterfaceOfThePod() {
        Map<String, String> env = new HashMap<>();
        container().get("env").forEach(variable -> env.put(variable.get("name").asText(),
                variable.path("value").asText()));
        assertThat(env).containsEntry("DEMO_HOST", "0.0.0.0");
    }

    @Test
    void theTrackingDataIsOnAPersistentVolume() {
        JsonNode mount = container().at("/volumeMounts/0");
        assertThat(mount.get("mountPath").asText()).isEqualTo("/deployments/smprotocol-data");
        JsonNode volume = MANIFESTS.get("Deployment").at("/spec/template/spec/volumes/0");
        assertThat(volume.get("name").asText()).isEqualTo(mount.get("name").asText());
        assertThat(volume.at("/persistentVolumeClaim/claimName").asText()).isEqualTo("smprotocol-data");
    }

    /**
     * The generated manifests against the Kubernetes API schemas: the npm package {@code kubernetes-models} (pinned)
     * validates each Deployment and Service, as the API server would accept or refuse it.
     */
    @Test
    void theDeploymentAndServiceAreValidKubernetesResources() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ExternalProgram.onPath("node") && ExternalProgram.onPath("npm"),
                "node and npm are not installed (Debian packages nodejs and npm)");
        Path validator = Path.of("target", "kubernetes-models").toAbsolutePath();
        Files.createDirectories(validator);
        if (!Files.isDirectory(validator.resolve("node_modules").resolve("kubernetes-models"))) {
            ExternalProgram.Result install = ExternalProgram.run(Duration.ofMinutes(3), List.of("npm", "install",
                    "--prefix", validator.toString(), "--no-audit", "--no-fund", "kubernetes-models@5.1.0"));
            assertThat(install.exitCode()).as(install.output()).isZero();
        }
        Path script = validator.resolve("validate-manifests.mjs");
        try (InputStream in = KubernetesManifestIT.class.getResourceAsStream("/kubernetes/validate-manifests.mjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ExternalProgram.Result validated = ExternalProgram.run(Duration.ofMinutes(1),
                List.of("node", script.toString(), MANIFEST_DIR.resolve("kubernetes.json").toString()));
        assertThat(validated.exitCode()).as(validated.output()).isZero();
        assertThat(validated.output()).contains("valid: Deployment smprotocol-demo", "valid: Service smprotocol-demo");
    }

    private static Map<String, Integer> ports(JsonNode ports, String number) {
        Map<String, Integer> named = new HashMap<>();
        ports.forEach(port -> named.put(port.get("name").asText(), port.get(number).asInt()));
        return named;
    }
}
