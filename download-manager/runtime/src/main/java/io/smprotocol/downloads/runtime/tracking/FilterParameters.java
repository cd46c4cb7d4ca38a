package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.QueryParam;

import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;

/**
 * The query parameters that select downloads, shared by every endpoint of the stats API, and their checks: a bad
 * value is refused with a message naming the parameter, never ignored.
 */
public class FilterParameters {

    /** The end reason of downloads not ended. */
    static final String IN_PROGRESS = "IN_PROGRESS";

    @QueryParam("file")
    public String file;
    @QueryParam("ip")
    public String ip;

    /** What the records keep of an address, set by the resource before the filter is built. */
    ClientAddresses addresses;
    @QueryParam("completed")
    public String completed;
    @QueryParam("from")
    public String from;
    @QueryParam("to")
    public String to;
    @QueryParam("reason")
    public String reason;
    @QueryParam("country")
    public String country;
    @QueryParam("asn")
    public String asn;
    @QueryParam("userAgent")
    public String userAgent;

    /**
     * @return the filter of downloads
     * @throws DownloadsResource.BadParameter naming the parameter that is wrong
     */
    DownloadFilter downloads() {
        Boolean done = null;
        if (completed != null) {
            if (completed.equalsIgnoreCase("true")) {
                done = true;
            } else if (completed.equalsIgnoreCase("false")) {
                done = false;
            } else {
                throw new DownloadsResource.BadParameter("completed: expected true or false, got '" + completed + "'");
            }
        }
        Set<DownloadEndReason> reasons = EnumSet.noneOf(DownloadEndReason.class);
        boolean inProgress = false;
        if (reason != null) {
            for (String name : reason.split(",", -1)) {
                String trimmed = name.trim().toUpperCase(Locale.ROOT);
                if (trimmed.equals(IN_PROGRESS)) {
                    inProgress = true;
                    continue;
                }
                try {
                    reasons.add(DownloadEndReason.valueOf(trimmed));
                } catch (IllegalArgumentException e) {
                    throw new DownloadsResource.BadParameter("reason: expected end reasons separated by commas ("
                            + String.join(", ", EnumSet.allOf(DownloadEndReason.class).stream().map(Enum::name)
                                    .toList())
                            + ", " + IN_PROGRESS + "), got '" + name + "'");
                }
            }
        }
        String countryCode = null;
        if (country != null) {
            countryCode = country.toUpperCase(Locale.ROOT);
            if (!countryCode.equals(DownloadFilter.UNKNOWN) && !countryCode.matches("[A-Z]{2}")) {
                throw new DownloadsResource.BadParameter("country: expected an ISO 3166-1 alpha-2 code (FR) or "
                        + DownloadFilter.UNKNOWN + ", got '" + country + "'");
            }
        }
        Long asnNumber = null;
        if (asn != null) {
            String digits = asn.regionMatches(true, 0, "AS", 0, 2) ? asn.substring(2) : asn;
            try {
                asnNumber = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                asnNumber = -1L;
            }
            if (asnNumber < 0 || asnNumber > 4_294_967_295L || digits.startsWith("+")) {
                throw new DownloadsResource.BadParameter("asn: expected an AS number (15169 or AS15169), got '"
                        + asn + "'");
            }
        }
        return new DownloadFilter(file(), ip(), done, instant("from", from, false), instant("to", to, true),
                Set.copyOf(reasons), inProgress, countryCode, asnNumber, userAgent()).checked();
    }

    /**
     * @return the filter of the requests that were no downloads: their path, address, user agent and time
     * @throws DownloadsResource.BadParameter naming a parameter that is wrong or does not apply to requests
     */
    DownloadFilter requests() {
        for (String[] unknown : new String[][] { { "completed", completed }, { "reason", reason },
                { "country", country }, { "asn", asn } }) {
            if (unknown[1] != null) {
                throw new DownloadsResource.BadParameter(unknown[0]
                        + ": not recorded for requests; use file, ip, userAgent, from and to");
            }
        }
        return new DownloadFilter(file(), ip(), null, instant("from", from, false), instant("to", to, true), Set.of(),
                false, null, null, userAgent()).checked();
    }

    private String file() {
        if (file != null && (file.isEmpty() || !file.startsWith("/"))) {
            throw new DownloadsResource.BadParameter("file: expected a path starting with '/', got '" + file + "'");
        }
        return file;
    }

    private String ip() {
        if (ip == null) {
            return null;
        }
        boolean hash = ip.startsWith("h:") && addresses != null && !addresses.keepsFull();
        if (!hash && ClientAddresses.parse(ip) == null) {
            throw new DownloadsResource.BadParameter("ip: not an IP address: '" + ip + "'");
        }
        // the records keep what client-address keeps: a full address given here is compared in that form
        return addresses == null ? ip : addresses.stored(ip);
    }

    private String userAgent() {
        if (userAgent != null && (userAgent.isEmpty() || userAgent.length() > 500)) {
            throw new DownloadsResource.BadParameter("userAgent: expected 1 to 500 characters");
        }
        return userAgent;
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new DownloadsResource.BadParameter(name + ": expected an ISO-8601 instant (2024-05-01T10:00:00Z)"
                        + " or day (2024-05-01), got '" + value + "'");
            }
        }
    }
}
