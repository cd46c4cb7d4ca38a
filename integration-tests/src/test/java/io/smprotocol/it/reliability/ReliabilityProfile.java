package io.smprotocol.it.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application most reliability tests run against: the demo with its own download root, signed links checked
 * but not required (so that every request's query is read and checked, and unsigned requests are still served),
 * loopback trusted as a proxy (so that {@code Forwarded} and {@code X-Forwarded-For} are parsed), and the
 * {@code redis-proxy} pointed at {@link #backendPort()}, where nothing listens unless a test puts a backend there.
 * <p>
 * One profile for all of them: each distinct profile restarts Quarkus.
 */
public class ReliabilityProfile implements QuarkusTestProfile {

    /** A system property, so that every class loader of the test JVM sees the same port. */
    private static final String BACKEND_PORT = "smprotocol.it.reliability.backend-port";

    static final String ROOT = "target/reliability-downloads";
    static final String SECRET = "reliability-secret";

    /**
     * @return a loopback port that was free when first asked: nothing listens there unless a test binds it, so the
     *         proxy's backend is down by default
     */
    static synchronized int backendPort() {
        Integer port = Integer.getInteger(BACKEND_PORT);
        if (port == null) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(BACKEND_PORT, String.valueOf(port));
        }
        return port;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.smprotocol.download.root", ROOT,
                "quarkus.smprotocol.download.signed-links.enabled", "true",
                "quarkus.smprotocol.download.signed-links.required", "false",
                "quarkus.smprotocol.download.signed-links.secret", SECRET,
                "quarkus.smprotocol.download.trusted-proxies", "127.0.0.1/32",
                "quarkus.smprotocol.protocols.redis-proxy.forward.port", String.valueOf(backendPort()));
    }
}
