package io.smprotocol.deployment.kubernetes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.deployment.IsNormal;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.pkg.builditem.ArtifactResultBuildItem;
import io.quarkus.kubernetes.spi.GeneratedKubernetesResourceBuildItem;
import io.quarkus.kubernetes.spi.KubernetesDeploymentTargetBuildItem;
import io.quarkus.kubernetes.spi.KubernetesPortBuildItem;
import io.smprotocol.deployment.ExposedListenerBuildItem;
import io.smprotocol.deployment.ProtocolBuildItem;
import io.smprotocol.runtime.config.ProtocolKeys;

/**
 * What the Kubernetes manifests need to know of the listeners: every enabled protocol (and, through the same build
 * item, the download listener) as a named container and Service port, and whether the pod's grace period leaves
 * room for the listeners to drain. Without {@code quarkus-kubernetes} (or OpenShift, Knative) nothing consumes
 * these, and nothing changes.
 */
class KubernetesProcessor {

    private static final Logger LOG = Logger.getLogger(KubernetesProcessor.class);

    @BuildStep
    void protocolListeners(List<ProtocolBuildItem> protocols, BuildProducer<ExposedListenerBuildItem> exposed) {
        Config config = ConfigProvider.getConfig();
        for (ProtocolBuildItem protocol : protocols) {
            String prefix = ProtocolKeys.prefix(protocol.name());
            Optional<Integer> port = config.getOptionalValue(prefix + ".port", Integer.class);
            // a protocol without a port fails at start, saying so: the manifests need not
            if (config.getOptionalValue(prefix + ".enabled", Boolean.class).orElse(true) && port.isPresent()) {
                exposed.produce(new ExposedListenerBuildItem(protocol.name(), prefix + ".port", port.get(),
                        config.getOptionalValue(prefix + ".drain-timeout", Duration.class)
                                .orElse(ProtocolKeys.DEFAULT_DRAIN_TIMEOUT)));
            }
        }
    }

    @BuildStep(onlyIf = IsNormal.class)
    void containerPorts(List<ExposedListenerBuildItem> listeners, BuildProducer<KubernetesPortBuildItem> ports) {
        PortNames names = new PortNames();
        for (ExposedListenerBuildItem listener : sorted(listeners)) {
            if (listener.port() == 0) {
                LOG.warnf("%s=0 picks a free port at start, which a Kubernetes manifest cannot declare: '%s' gets no"
                        + " container or Service port; give it a fixed port to reach it in a pod",
                        listener.portProperty(), listener.listener());
                continue;
            }
            ports.produce(KubernetesPortBuildItem.fromRuntimeConfiguration(names.of(listener.listener()),
                    listener.portProperty(), listener.port(), true));
        }
    }

    @BuildStep(onlyIf = IsNormal.class)
    @Produce(ArtifactResultBuildItem.class)
    void checkGracePeriod(List<ExposedListenerBuildItem> listeners, List<KubernetesDeploymentTargetBuildItem> targets,
            List<GeneratedKubernetesResourceBuildItem> manifests) {
        if (listeners.isEmpty()) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        Duration drain = listeners.stream().map(ExposedListenerBuildItem::drainTimeout).max(Comparator.naturalOrder())
                .orElseThrow();
        Duration delay = config.getOptionalValue("quarkus.shutdown.delay", Duration.class).orElse(Duration.ZERO);
        Duration timeout = config.getOptionalValue("quarkus.shutdown.timeout", Duration.class).orElse(Duration.ZERO);
        Duration needed = GracePeriod.needed(delay, timeout, drain);
        // manifests are made for every known target, but written for the enabled ones only
        Set<String> written = KubernetesDeploymentTargetBuildItem.mergeList(targets).stream()
                .filter(KubernetesDeploymentTargetBuildItem::isEnabled).map(target -> target.getName() + ".yml")
                .collect(Collectors.toSet());
        for (GeneratedKubernetesResourceBuildItem manifest : manifests) {
            if (!written.contains(manifest.getName())) {
                continue;
            }
            Duration grace = GracePeriod.of(new String(manifest.getContent(), StandardCharsets.UTF_8));
            if (grace.compareTo(needed) < 0) {
                LOG.warnf("%s gives the pod terminationGracePeriodSeconds %d, but stopping may take %d s"
                        + " (quarkus.shutdown.delay %d s + quarkus.shutdown.timeout %d s + twice the longest listener"
                        + " drain-timeout %d s + %d s for the last writes): Kubernetes would kill the pod before its"
                        + " listeners drained. Set spec.template.spec.terminationGracePeriodSeconds to at least %d in"
                        + " src/main/kubernetes/%s, or shorten the drain",
                        manifest.getName(), grace.toSeconds(), needed.toSeconds(), delay.toSeconds(),
                        timeout.toSeconds(), drain.toSeconds(), GracePeriod.LAST_WRITES.toSeconds(), needed.toSeconds(),
                        manifest.getName());
            }
        }
    }

    private static List<ExposedListenerBuildItem> sorted(List<ExposedListenerBuildItem> listeners) {
        return listeners.stream().sorted(Comparator.comparing(ExposedListenerBuildItem::listener)).toList();
    }
}
