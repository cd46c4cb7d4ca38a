package io.smprotocol.deployment.kubernetes;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a pod needs to stop gracefully, and how long its manifest gives it.
 */
final class GracePeriod {

    /** What Kubernetes gives a pod to stop when its manifest says nothing. */
    static final Duration KUBERNETES_DEFAULT = Duration.ofSeconds(30);

    /** Room, after the drains, for the last writes a shutdown makes (the tracking journal and its flush). */
    static final Duration LAST_WRITES = Duration.ofSeconds(5);

    private static final Pattern IN_MANIFEST = Pattern.compile("terminationGracePeriodSeconds\"?\\s*:\\s*(\\d+)");

    private GracePeriod() {
    }

    /**
     * @param delay {@code quarkus.shutdown.delay}: readiness is DOWN that long before anything stops
     * @param timeout {@code quarkus.shutdown.timeout}: how long Quarkus waits for its HTTP requests
     * @param longestDrain the longest {@code drain-timeout} of the listeners
     * @return the grace period the pod needs so that Kubernetes never kills it while a listener drains
     */
    static Duration needed(Duration delay, Duration timeout, Duration longestDrain) {
        // a listener's drain may take its timeout twice: for connections to finish, then for their close hooks
        return delay.plus(timeout).plus(longestDrain.multipliedBy(2)).plus(LAST_WRITES);
    }

    /** @return the grace period a generated manifest sets, or Kubernetes' default where it sets none */
    static Duration of(String manifest) {
        Matcher matcher = IN_MANIFEST.matcher(manifest);
        return matcher.find() ? Duration.ofSeconds(Long.parseLong(matcher.group(1))) : KUBERNETES_DEFAULT;
    }
}
