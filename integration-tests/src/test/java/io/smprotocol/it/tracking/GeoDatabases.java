package io.smprotocol.it.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Writes tiny City and ASN databases before the application starts and points the configuration at them. The
 * networks are documentation and example addresses with made-up but recognisable data.
 */
public class GeoDatabases implements QuarkusTestResourceLifecycleManager {

    /** A public address in the City and ASN databases. */
    public static final String LONDON = "81.2.69.142";
    /** A public address in the City database only. */
    public static final String PARIS = "2001:db8::1";

    static final Path DIR = Path.of("target/test-geo");

    @Override
    public Map<String, String> start() {
        try {
            Path city = DIR.resolve("city.mmdb");
            Path asn = DIR.resolve("asn.mmdb");
            write(city, asn);
            return Map.of("quarkus.smprotocol.geoip.city-db", city.toString(),
                    "quarkus.smprotocol.geoip.asn-db", asn.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path city, Path asn) throws IOException {
        new MmdbWriter("GeoLite2-City")
                .insert("81.2.69.0/24", Map.of(
                        "city", Map.of("geoname_id", 2643743L, "names", Map.of("en", "London")),
                        "country", Map.of("geoname_id", 2635167L, "iso_code", "GB",
                                "names", Map.of("en", "United Kingdom")),
                        "location", Map.of("latitude", 51.5142, "longitude", -0.0931,
                                "time_zone", "Europe/London", "accuracy_radius", new MmdbWriter.UInt(10, 5)),
                        "subdivisions", List.of(Map.of("iso_code", "ENG", "names", Map.of("en", "England")))))
                .insert("2001:db8::/32", Map.of(
                        "city", Map.of("names", Map.of("en", "Paris")),
                        "country", Map.of("iso_code", "FR", "names", Map.of("en", "France")),
                        "location", Map.of("latitude", 48.8566, "longitude", 2.3522, "time_zone", "Europe/Paris")))
                .write(city);
        new MmdbWriter("GeoLite2-ASN")
                .insert("81.2.64.0/19", Map.of("autonomous_system_number", 20712L,
                        "autonomous_system_organization", "Andrews & Arnold Ltd"))
                .write(asn);
    }

    @Override
    public void stop() {
    }
}
