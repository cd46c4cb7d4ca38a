package io.smprotocol.downloads.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smprotocol.download.ClientAddress;

class ForwardedClientsTest {

    private static final TrustedProxies INGRESS = TrustedProxies.parse(List.of("10.0.0.0/8", "fd00::/8",
            "192.168.1.7"));

    @Test
    void trustedProxyBlocks() {
        assertThat(INGRESS.contains("10.1.2.3")).isTrue();
        assertThat(INGRESS.contains("11.1.2.3")).isFalse();
        assertThat(INGRESS.contains("192.168.1.7")).isTrue();
        assertThat(INGRESS.contains("192.168.1.8")).isFalse();
        assertThat(INGRESS.contains("fd12::1")).isTrue();
        assertThat(INGRESS.contains("fe80::1")).isFalse();
        assertThat(INGRESS.contains("::ffff:10.9.9.9")).isTrue();
        assertThat(INGRESS.contains("example.com")).isFalse();
        assertThat(TrustedProxies.parse(List.of("172.16.0.0/12")).contains("172.31.255.255")).isTrue();
        assertThat(TrustedProxies.parse(List.of("172.16.0.0/12")).contains("172.32.0.0")).isFalse();
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33"))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("ingress.local"))).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        ClientAddress client = ForwardedClients.resolve("203.0.113.9", 5000, List.of("for=1.2.3.4"),
                List.of("1.2.3.4"), INGRESS);
        assertThat(client).isEqualTo(new ClientAddress("203.0.113.9", 5000, "203.0.113.9", false));
    }

    @Test
    void xForwardedForIsReadFromTheRightSkippingTrustedHops() {
        ClientAddress client = ForwardedClients.resolve("10.0.0.2", 5000, List.of(),
                List.of("6.6.6.6, 198.51.100.4", "10.0.0.9"), INGRESS);
        // 6.6.6.6 was written by the client itself: the first untrusted from the right is the client
        assertThat(client.ip()).isEqualTo("198.51.100.4");
        assertThat(client.port()).isEqualTo(-1);
        assertThat(client.peerIp()).isEqualTo("10.0.0.2");
        assertThat(client.forwarded()).isTrue();
    }

    @Test
    void forwardedIsPreferredAndParsed() {
        ClientAddress client = ForwardedClients.resolve("10.0.0.2", 5000,
                List.of("for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.5;by=10.0.0.2"),
                List.of("9.9.9.9"), INGRESS);
        assertThat(client.ip()).isEqualTo("2001:db8:cafe::17");
        assertThat(client.port()).isEqualTo(4711);
        ClientAddress v4 = ForwardedClients.resolve("10.0.0.2", 5000, List.of("For=192.0.2.60:8080"), List.of(),
                INGRESS);
        assertThat(v4.ip()).isEqualTo("192.0.2.60");
        assertThat(v4.port()).isEqualTo(8080);
    }

    @Test
    void unknownOrGarbageStopsTheWalk() {
        ClientAddress client = ForwardedClients.resolve("10.0.0.2", 5000, List.of("for=unknown, for=10.0.0.3"),
                List.of(), INGRESS);
        assertThat(client.ip()).isEqualTo("10.0.0.3");
        ClientAddress garbage = ForwardedClients.resolve("10.0.0.2", 5000, List.of(), List.of("not-an-ip"), INGRESS);
        assertThat(garbage.ip()).isEqualTo("10.0.0.2");
    }
}
