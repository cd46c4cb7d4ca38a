package io.smprotocol.it.tracking;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Download tracking with a short session window (a download nobody resumes ends 2 seconds after its last request),
 * a short idle timeout, a trusted local proxy and test geo databases; on the demo's native epoll transport.
 */
public class TrackingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.smprotocol.download.root", "target/dl-tracking",
                "quarkus.smprotocol.download.session-window", "2S",
                "quarkus.smprotocol.download.idle-timeout", "2S",
                "quarkus.smprotocol.download.trusted-proxies", "127.0.0.1/32",
                "quarkus.smprotocol.node-name", "test-node");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(GeoDatabases.class));
    }
}
