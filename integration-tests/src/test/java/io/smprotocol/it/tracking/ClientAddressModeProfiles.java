package io.smprotocol.it.tracking;

import java.util.HashMap;
import java.util.Map;

/** {@link TrackingProfile} with each way of storing client addresses, each on a journal and database of its own. */
final class ClientAddressModeProfiles {

    private ClientAddressModeProfiles() {
    }

    static Map<String, String> with(String mode, Map<String, String> more) {
        Map<String, String> config = new HashMap<>(new TrackingProfile().getConfigOverrides());
        config.put("quarkus.smprotocol.download.root", "target/dl-address-" + mode);
        config.put("quarkus.smprotocol.tracking.journal-dir", "target/address-" + mode + "/journal");
        config.put("quarkus.smprotocol.embedded-mongo.data-dir", "target/address-" + mode + "/data");
        config.put("quarkus.smprotocol.tracking.client-address", mode);
        config.putAll(more);
        return config;
    }

    public static class Truncated extends TrackingProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return with("truncated", Map.of());
        }
    }

    public static class Hashed extends TrackingProfile {
        static final String KEY = "a-test-key-of-forty-characters-0123456789";

        @Override
        public Map<String, String> getConfigOverrides() {
            return with("hashed", Map.of("quarkus.smprotocol.tracking.client-address-key", KEY));
        }
    }
}
