package io.smprotocol.downloads.runtime.config;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigGroup;

/**
 * MaxMind databases ({@code .mmdb}, GeoLite2 or GeoIP2) that add geo and network fields to download records.
 */
@ConfigGroup
public interface GeoIpConfig {

    /**
     * A City database (GeoLite2-City or GeoIP2-City): country, region, city, coordinates and time zone. Unset: those
     * fields are absent from the records. A file that cannot be read fails the start.
     */
    Optional<String> cityDb();

    /**
     * An ASN database (GeoLite2-ASN): the autonomous system number and organisation. Unset: those fields are absent.
     * A file that cannot be read fails the start.
     */
    Optional<String> asnDb();
}
