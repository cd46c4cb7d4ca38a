package io.smprotocol.runtime.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Fails the start when two listeners of the application are configured on one address and port. The operating
 * system would refuse the second bind, but Vert.x shares a listening socket between servers bound to the same
 * address, so two protocols on one port would both report RUNNING and split the connections between them.
 * <p>
 * Two hosts overlap when they are the same address (after resolving names), or when one is a wildcard address that
 * covers the other: {@code 0.0.0.0} covers every IPv4 address, {@code ::} every address.
 */
public final class PortConflicts {

    private PortConflicts() {
    }

    /**
     * @param addresses every enabled listener's configured address
     * @throws ConfigurationException naming both listeners of the first conflict
     */
    public static void check(List<ListenerAddress> addresses) {
        for (int i = 0; i < addresses.size(); i++) {
            ListenerAddress first = addresses.get(i);
            if (first.port() <= 0) {
                continue;
            }
            for (int j = i + 1; j < addresses.size(); j++) {
                ListenerAddress second = addresses.get(j);
                if (first.port() == second.port() && overlap(first.host(), second.host())) {
                    throw new ConfigurationException(String.format(
                            "%s (%s=%d, host %s) and %s (%s=%d, host %s) would listen on the same port; give each"
                                    + " listener its own port",
                            first.listener(), first.key(), first.port(), first.host(), second.listener(),
                            second.key(), second.port(), second.host()));
                }
            }
        }
    }

    static boolean overlap(String firstHost, String secondHost) {
        InetAddress first = resolve(firstHost);
        InetAddress second = resolve(secondHost);
        if (first == null || second == null) {
            // a host that does not resolve cannot be bound; the bind itself says so
            return firstHost.equalsIgnoreCase(secondHost);
        }
        return first.equals(second) || covers(first, second) || covers(second, first);
    }

    /** @return whether a socket bound to the wildcard {@code any} also takes connections to {@code address} */
    private static boolean covers(InetAddress any, InetAddress address) {
        if (!any.isAnyLocalAddress()) {
            return false;
        }
        // the IPv6 wildcard is dual-stack on the systems Vert.x runs on; the IPv4 one covers IPv4 alone
        return !(any instanceof Inet4Address) || address instanceof Inet4Address;
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1)
                    : host);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
