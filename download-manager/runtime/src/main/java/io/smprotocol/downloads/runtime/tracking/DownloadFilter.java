package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;

import io.smprotocol.download.DownloadEndReason;

/**
 * What the stats API's queries select, one field per query parameter; {@code null} (or an empty set) does not
 * filter. Every query of downloads (list, summary, series, export) takes the same filter, so that a figure of the
 * summary can always be listed or exported.
 *
 * @param file the exact request path
 * @param ip the exact client address
 * @param completed completed or not
 * @param from started at or after
 * @param to started before
 * @param reasons end reasons, any of them; {@code inProgress} adds the downloads not ended
 * @param inProgress whether downloads still in progress match (alone, or besides {@code reasons})
 * @param country ISO 3166-1 alpha-2 country code, upper case; {@link #UNKNOWN} for the downloads without one
 * @param asn autonomous system number
 * @param userAgent a part of the {@code User-Agent} header, compared ignoring case
 */
public record DownloadFilter(String file, String ip, Boolean completed, Instant from, Instant to,
        Set<DownloadEndReason> reasons, boolean inProgress, String country, Long asn, String userAgent) {

    /** The country of downloads without geo information. */
    public static final String UNKNOWN = "UNKNOWN";

    /** @return a filter matching every download */
    public static DownloadFilter none() {
        return new DownloadFilter(null, null, null, null, null, Set.of(), false, null, null, null);
    }

    /**
     * @return this filter
     * @throws DownloadsResource.BadParameter when it selects an empty period
     */
    DownloadFilter checked() {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new DownloadsResource.BadParameter("from must be before to");
        }
        return this;
    }

    /** @return the filter of the {@code downloads} collection */
    Bson bson() {
        List<Bson> all = new ArrayList<>();
        if (file != null) {
            all.add(Filters.eq("file.path", file));
        }
        if (ip != null) {
            all.add(Filters.eq("client.ip", ip));
        }
        if (completed != null) {
            all.add(Filters.eq("completed", completed));
        }
        if (from != null) {
            all.add(Filters.gte("startedAt", from));
        }
        if (to != null) {
            all.add(Filters.lt("startedAt", to));
        }
        List<Bson> anyReason = new ArrayList<>();
        if (reasons != null && !reasons.isEmpty()) {
            anyReason.add(Filters.in("endReason", reasons.stream().map(Enum::name).toList()));
        }
        if (inProgress) {
            anyReason.add(Filters.eq("endReason", null));
        }
        if (!anyReason.isEmpty()) {
            all.add(anyReason.size() == 1 ? anyReason.get(0) : Filters.or(anyReason));
        }
        if (country != null) {
            all.add(Filters.eq("client.geo.countryCode", UNKNOWN.equals(country) ? null : country));
        }
        if (asn != null) {
            all.add(Filters.eq("client.network.asn", asn));
        }
        if (userAgent != null) {
            all.add(Filters.regex("client.userAgent", Pattern.quote(userAgent), "i"));
        }
        return all.isEmpty() ? new Document() : all.size() == 1 ? all.get(0) : Filters.and(all);
    }

    /**
     * The same filter on the {@code download_requests} collection, which knows the path, the address, the user agent
     * and the time of each request, nothing else.
     *
     * @return the filter of the {@code download_requests} collection
     */
    Bson requestsBson() {
        List<Bson> all = new ArrayList<>();
        if (file != null) {
            all.add(Filters.eq("path", file));
        }
        if (ip != null) {
            all.add(Filters.eq("clientIp", ip));
        }
        if (from != null) {
            all.add(Filters.gte("at", from));
        }
        if (to != null) {
            all.add(Filters.lt("at", to));
        }
        if (userAgent != null) {
            all.add(Filters.regex("userAgent", Pattern.quote(userAgent), "i"));
        }
        return all.isEmpty() ? new Document() : all.size() == 1 ? all.get(0) : Filters.and(all);
    }
}
