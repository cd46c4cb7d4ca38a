package io.smprotocol.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GracePeriodTest {

    @Test
    void aManifestsGracePeriodIsReadAndKubernetesDefaultIsTakenWhereItSaysNone() {
        assertThat(GracePeriod.of("spec:\n  terminationGracePeriodSeconds: 75\n")).hasSeconds(75);
        assertThat(GracePeriod.of("{\"spec\": {\"terminationGracePeriodSeconds\": 12}}")).hasSeconds(12);
        assertThat(GracePeriod.of("spec: {}\n")).isEqualTo(GracePeriod.KUBERNETES_DEFAULT);
    }

    @Test
    void stoppingNeedsTheDelayTheTimeoutTwiceTheLongestDrainAndTheLastWrites() {
        // the defaults: no delay, no HTTP timeout, 30 s drains: more than Kubernetes' 30 s
        assertThat(GracePeriod.needed(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30))).hasSeconds(65)
                .isGreaterThan(GracePeriod.KUBERNETES_DEFAULT);
        assertThat(GracePeriod.needed(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(3)))
                .hasSeconds(26);
    }
}
