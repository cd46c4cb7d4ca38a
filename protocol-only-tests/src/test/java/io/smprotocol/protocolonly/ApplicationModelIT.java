package io.smprotocol.protocolonly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packaged protocol-only application: its runtime dependencies hold nothing of the download manager (MongoDB,
 * H2, Panache, REST, scheduler, memcached, GeoIP, Caffeine). Prints its size and dependency count, which the docs
 * record.
 */
class ApplicationModelIT {

    static final Path APP = Path.of(System.getProperty("smprotocol.app.dir", "target/quarkus-app"));

    @Test
    void theRuntimeDependenciesHoldNothingOfTheDownloadManager() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(APP.resolve("lib/main"))) {
            jars = files.map(path -> path.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).isNotEmpty().anyMatch(jar -> jar.startsWith("io.smprotocol.quarkus-smprotocol-"));
        assertThat(jars).noneMatch(jar -> jar.matches(
                ".*(mongo|h2|panache|resteasy|quarkus-rest|scheduler|spymemcached|geoip2|maxmind|caffeine"
                        + "|smprotocol-downloads).*"));
        long bytes;
        try (Stream<Path> all = Files.walk(APP)) {
            bytes = all.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
        System.out.printf("protocol-only application: %d runtime dependencies (lib/main), %.1f MB in %s%n",
                jars.size(), bytes / 1_000_000.0, APP);
    }
}
