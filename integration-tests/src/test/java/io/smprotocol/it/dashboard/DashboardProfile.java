package io.smprotocol.it.dashboard;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smprotocol.it.tracking.GeoDatabases;

/**
 * Tracking as the tracking tests have it (short session window, a trusted local proxy, the test geo databases), and
 * every response throttled so that a download lasts long enough to be watched in progress.
 */
public class DashboardProfile implements QuarkusTestProfile {

    static final int RATE = 256 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.smprotocol.download.root", "target/dl-dashboard",
                "quarkus.smprotocol.download.session-window", "2S",
                "quarkus.smprotocol.download.idle-timeout", "5S",
                "quarkus.smprotocol.download.trusted-proxies", "127.0.0.1/32",
                "quarkus.smprotocol.download.rate-limit", String.valueOf(RATE),
                "quarkus.smprotocol.node-name", "dashboard-node");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(GeoDatabases.class));
    }
}
