package io.smprotocol.deployment.kubernetes;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Names of container ports as Kubernetes accepts them (an IANA service name: at most 15 characters of lower-case
 * letters, digits and single hyphens, with at least one letter, neither starting nor ending with a hyphen), derived from
 * listener names, unique within one pod.
 */
public final class PortNames {

    static final int MAX_LENGTH = 15;

    /** Ports Quarkus itself names: a listener never takes one of these. */
    private final Set<String> taken = new HashSet<>(Set.of("http", "https", "management", "grpc"));

    /**
     * @param listener a listener's name, as in its configuration key
     * @return a valid port name, unique among those this instance gave
     */
    public String of(String listener) {
        String base = sanitize(listener);
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            String suffix = "-" + i;
            name = trimHyphens(base.substring(0, Math.min(base.length(), MAX_LENGTH - suffix.length()))) + suffix;
        }
        return name;
    }

    static String sanitize(String listener) {
        String name = truncate(listener.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        // a name of digits alone would read as a port number
        return name.chars().anyMatch(Character::isLetter) ? name : truncate("port-" + name);
    }

    private static String truncate(String name) {
        String trimmed = trimHyphens(name);
        return trimHyphens(trimmed.substring(0, Math.min(trimmed.length(), MAX_LENGTH)));
    }

    private static String trimHyphens(String name) {
        return name.replaceAll("^-+|-+$", "");
    }
}
