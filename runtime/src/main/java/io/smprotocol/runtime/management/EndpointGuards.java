package io.smprotocol.runtime.management;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Tells which sensitive endpoints no configured HTTP permission guards, so that the start can warn before anyone who
 * reaches the port restarts a protocol or reads every client's IP. It follows how Quarkus picks a permission for a
 * request: of the permissions whose paths match (an exact path, {@code *} for one segment, a trailing {@code /*} for
 * the path and everything below it) and whose methods include the request's (or that name no method), the most
 * specific path decides, and only the {@code permit} policy lets an anonymous caller through. A permission guarded
 * by a custom {@code HttpSecurityPolicy} bean counts as guarding: its name is not {@code permit}.
 */
public final class EndpointGuards {

    /** The {@code paths}, {@code methods} and {@code policy} of one enabled permission. */
    public record Permission(List<String> paths, List<String> methods, String policy) {
    }

    private EndpointGuards() {
    }

    /**
     * @param endpoints method and path, such as {@code POST /q/smprotocol/restart}
     * @param permissions the enabled permissions of the router the endpoints are on
     * @return the endpoints that an anonymous caller would reach, in the given order
     */
    public static List<String> unguarded(List<String> endpoints, Collection<Permission> permissions) {
        List<String> open = new ArrayList<>();
        for (String endpoint : endpoints) {
            int space = endpoint.indexOf(' ');
            if (!guarded(endpoint.substring(0, space), endpoint.substring(space + 1), permissions)) {
                open.add(endpoint);
            }
        }
        return open;
    }

    private static boolean guarded(String method, String path, Collection<Permission> permissions) {
        int best = -1;
        boolean guarded = false;
        for (Permission permission : permissions) {
            if (!permission.methods().isEmpty()
                    && permission.methods().stream().noneMatch(m -> m.trim().equalsIgnoreCase(method))) {
                continue;
            }
            for (String pattern : permission.paths()) {
                int specificity = specificity(pattern.trim(), path);
                boolean denies = !"permit".equals(permission.policy().trim().toLowerCase(Locale.ROOT));
                if (specificity > best) {
                    best = specificity;
                    guarded = denies;
                } else if (specificity == best && specificity >= 0) {
                    // several permissions on one path must all allow a request
                    guarded |= denies;
                }
            }
        }
        return guarded;
    }

    /**
     * @return -1 when the pattern does not match the path; otherwise higher for a more specific pattern, an exact path
     *         above every wildcard
     */
    static int specificity(String pattern, String path) {
        String[] wanted = segments(pattern);
        String[] actual = segments(path);
        boolean prefix = wanted.length > 0 && wanted[wanted.length - 1].equals("*") && pattern.endsWith("/*");
        int fixed = prefix ? wanted.length - 1 : wanted.length;
        if (prefix ? actual.length < fixed : actual.length != fixed) {
            return -1;
        }
        int literal = 0;
        for (int i = 0; i < fixed; i++) {
            if (wanted[i].equals("*")) {
                continue;
            }
            if (!wanted[i].equals(actual[i])) {
                return -1;
            }
            literal++;
        }
        return prefix ? fixed * 2 + literal : 1_000 + literal;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    /** @return true when the host is a loopback address or name, reachable from this machine only */
    public static boolean loopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }
}
