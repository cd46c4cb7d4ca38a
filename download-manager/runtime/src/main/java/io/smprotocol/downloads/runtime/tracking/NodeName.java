package io.smprotocol.downloads.runtime.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/** The name a node gives itself in the records, and the key of what one run of it contributes to a download. */
final class NodeName {

    private NodeName() {
    }

    /**
     * @param configured {@code quarkus.smprotocol.node-name}
     * @return the configured name, else the host's (a pod's name in Kubernetes), else {@code localhost}
     */
    static String of(Optional<String> configured) {
        return configured.filter(n -> !n.isBlank()).orElseGet(NodeName::hostName);
    }

    /**
     * @return a key unique to this run of the node: a restarted node adds a part of its own to a download it served
     *         before, rather than replacing what its earlier run contributed; made of characters MongoDB accepts in
     *         a field name
     */
    static String partKey(String node) {
        return node.replaceAll("[.$\\s]", "_") + "~" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "localhost";
    }
}
