package io.smprotocol.downloads.runtime.tracking;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Subdivision;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;

/**
 * Geo and network information about a client address, from MaxMind databases ({@code .mmdb}: GeoLite2 or GeoIP2 City
 * and ASN). Without a database the fields are absent; a configured database that cannot be read fails the start.
 * Lookups read memory-mapped files: thread-safe and fast, but still kept off the event loops by the tracker.
 */
@Singleton
public class GeoLookup {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");

    private final DatabaseReader city;
    private final DatabaseReader asn;

    @Inject
    public GeoLookup(DownloadsConfig config) {
        this(config.geoip().cityDb(), config.geoip().asnDb());
    }

    /**
     * @param cityDb the City database, if any
     * @param asnDb the ASN database, if any
     * @throws ConfigurationException when a database cannot be read or is of the wrong type
     */
    public GeoLookup(Optional<String> cityDb, Optional<String> asnDb) {
        this.city = open(cityDb, "quarkus.smprotocol.geoip.city-db", "City");
        this.asn = open(asnDb, "quarkus.smprotocol.geoip.asn-db", "ASN");
    }

    private static DatabaseReader open(Optional<String> path, String key, String type) {
        if (path.isEmpty() || path.get().isBlank()) {
            return null;
        }
        File file = new File(path.get());
        try {
            DatabaseReader reader = new DatabaseReader.Builder(file).withCache(new CHMCache()).build();
            String databaseType = reader.getMetadata().databaseType();
            if (databaseType == null || !databaseType.contains(type)) {
                reader.close();
                throw new ConfigurationException(key + "=" + file + " is a " + databaseType + " database, not a " + type
                        + " database");
            }
            LOG.infof("Geo information from %s (%s, built %s)", file, databaseType,
                    reader.getMetadata().buildTime());
            return reader;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigurationException) {
                throw (ConfigurationException) e;
            }
            throw new ConfigurationException(key + "=" + file + " cannot be read as a MaxMind database: " + e, e);
        }
    }

    /** @return whether a City database is configured */
    public boolean hasCity() {
        return city != null;
    }

    /** @return whether an ASN database is configured */
    public boolean hasAsn() {
        return asn != null;
    }

    /**
     * Fills the address type and, for public addresses, the geo and network fields of a client.
     *
     * @param client the client, whose {@code ip} is set
     */
    public void describe(Download.Client client) {
        InetAddress address = ClientAddresses.parse(client.ip);
        client.addressType = addressType(address);
        if (address == null || !"PUBLIC".equals(client.addressType)) {
            return;
        }
        if (city != null) {
            try {
                city.tryCity(address).ifPresent(found -> client.geo = geo(found));
            } catch (IOException | RuntimeException | com.maxmind.geoip2.exception.GeoIp2Exception e) {
                LOG.debugf("no city for %s: %s", client.ip, e);
            }
        }
        if (asn != null) {
            try {
                asn.tryAsn(address).ifPresent(found -> client.network = network(found));
            } catch (IOException | RuntimeException | com.maxmind.geoip2.exception.GeoIp2Exception e) {
                LOG.debugf("no ASN for %s: %s", client.ip, e);
            }
        }
    }

    private static Download.Geo geo(CityResponse found) {
        Download.Geo geo = new Download.Geo();
        if (found.country() != null) {
            geo.countryCode = found.country().isoCode();
            geo.countryName = found.country().name();
        }
        List<Subdivision> subdivisions = found.subdivisions();
        if (subdivisions != null && !subdivisions.isEmpty()) {
            geo.region = subdivisions.get(subdivisions.size() - 1).name();
        }
        if (found.city() != null) {
            geo.city = found.city().name();
        }
        if (found.location() != null) {
            geo.latitude = found.location().latitude();
            geo.longitude = found.location().longitude();
            geo.timeZone = found.location().timeZone();
        }
        return geo.countryCode == null && geo.city == null && geo.latitude == null ? null : geo;
    }

    private static Download.Network network(AsnResponse found) {
        if (found.autonomousSystemNumber() == null && found.autonomousSystemOrganization() == null) {
            return null;
        }
        Download.Network network = new Download.Network();
        network.asn = found.autonomousSystemNumber();
        network.organization = found.autonomousSystemOrganization();
        return network;
    }

    /**
     * @param address an address, or {@code null}
     * @return {@code LOOPBACK}, {@code PRIVATE} (RFC 1918, RFC 6598 shared, IPv6 unique local), {@code LINK_LOCAL},
     *         {@code INVALID} (not an address, unspecified, multicast) or {@code PUBLIC}
     */
    public static String addressType(InetAddress address) {
        if (address == null || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "INVALID";
        }
        if (address.isLoopbackAddress()) {
            return "LOOPBACK";
        }
        if (address.isLinkLocalAddress()) {
            return "LINK_LOCAL";
        }
        if (address.isSiteLocalAddress()) {
            return "PRIVATE";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
            if ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
                return "PRIVATE";
            }
        } else if (address instanceof Inet6Address) {
            // fc00::/7, unique local (RFC 4193)
            if ((b[0] & 0xfe) == 0xfc) {
                return "PRIVATE";
            }
        }
        return "PUBLIC";
    }

    @PreDestroy
    void close() {
        for (DatabaseReader reader : new DatabaseReader[] { city, asn }) {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    LOG.debugf("closing a MaxMind database: %s", e);
                }
            }
        }
    }
}
