package io.smprotocol.downloads.runtime.policy;

import java.util.ArrayList;
import java.util.List;

import io.netty.util.NetUtil;
import io.smprotocol.download.ClientAddress;

/**
 * Finds who a request comes from: the peer of the connection, or, when that peer is a trusted proxy, the client it
 * names in {@code Forwarded} (RFC 7239, preferred) or {@code X-Forwarded-For}.
 * <p>
 * The forwarding chain is read from the right, the hop the nearest proxy added, and every hop that is itself a trusted
 * proxy is skipped: the first untrusted address is the client. A client cannot forge its way past this by sending its
 * own header, because the entries it wrote are on the left of what the trusted proxies appended.
 */
public final class ForwardedClients {

    private ForwardedClients() {
    }

    /**
     * @param peerIp the connection's peer address
     * @param peerPort the connection's peer port
     * @param forwardedHeaders the values of every {@code Forwarded} header, in order
     * @param xForwardedFor the values of every {@code X-Forwarded-For} header, in order
     * @param trusted the trusted proxies
     * @return the client
     */
    public static ClientAddress resolve(String peerIp, int peerPort, List<String> forwardedHeaders,
            List<String> xForwardedFor, TrustedProxies trusted) {
        ClientAddress direct = new ClientAddress(peerIp, peerPort, peerIp, false);
        if (!trusted.contains(peerIp)) {
            return direct;
        }
        List<String[]> hops = !forwardedHeaders.isEmpty() ? forwardedFor(forwardedHeaders) : xff(xForwardedFor);
        if (hops.isEmpty()) {
            return direct;
        }
        ClientAddress client = direct;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String[] hop = hops.get(i);
            if (hop == null || NetUtil.createByteArrayFromIpAddressString(hop[0]) == null) {
                // "unknown", an obfuscated name or garbage: nothing left of it can be trusted
                return client;
            }
            client = new ClientAddress(hop[0], hop[1] == null ? -1 : parsePort(hop[1]), peerIp, true);
            if (!trusted.contains(hop[0])) {
                return client;
            }
        }
        return client;
    }

    /** @return {ip, port-or-null} per hop, {@code null} for a hop that is not an address */
    private static List<String[]> xff(List<String> headers) {
        List<String[]> hops = new ArrayList<>();
        for (String header : headers) {
            for (String part : header.split(",")) {
                String value = part.trim();
                if (!value.isEmpty()) {
                    hops.add(node(value));
                }
            }
        }
        return hops;
    }

    private static List<String[]> forwardedFor(List<String> headers) {
        List<String[]> hops = new ArrayList<>();
        for (String header : headers) {
            for (String element : splitOutsideQuotes(header, ',')) {
                String[] hop = null;
                boolean hasFor = false;
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                        hasFor = true;
                        String value = pair.substring(eq + 1).trim();
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                        hop = node(value);
                    }
                }
                if (hasFor) {
                    hops.add(hop);
                }
            }
        }
        return hops;
    }

    /** Parses {@code 1.2.3.4}, {@code 1.2.3.4:80}, {@code [2001:db8::1]}, {@code [2001:db8::1]:80} or bare IPv6. */
    private static String[] node(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return null;
            }
            String ip = value.substring(1, close);
            String rest = value.substring(close + 1);
            return new String[] { ip, rest.startsWith(":") ? rest.substring(1) : null };
        }
        int colon = value.indexOf(':');
        if (colon >= 0 && colon == value.lastIndexOf(':')) {
            return new String[] { value.substring(0, colon), value.substring(colon + 1) };
        }
        return new String[] { value, null };
    }

    private static int parsePort(String port) {
        try {
            int value = Integer.parseInt(port);
            return value >= 0 && value <= 65535 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
