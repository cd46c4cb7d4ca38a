package io.smprotocol.downloads.runtime.tracking;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.bson.Document;
import org.jboss.logging.Logger;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCursor;

import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;

/**
 * The stats API of download tracking, on the application's HTTP server, in JSON:
 * <ul>
 * <li>{@code GET /smprotocol/api/downloads?FILTER&page=&size=}: downloads, newest first;</li>
 * <li>{@code GET /smprotocol/api/downloads/{id}}: one download;</li>
 * <li>{@code GET /smprotocol/api/downloads/summary?FILTER&top=}: totals and breakdowns;</li>
 * <li>{@code GET /smprotocol/api/downloads/series?FILTER&interval=hour|day}: counts per UTC hour or day;</li>
 * <li>{@code GET /smprotocol/api/downloads/export?FILTER}: every matching download as CSV, streamed;</li>
 * <li>{@code GET /smprotocol/api/downloads/requests?file=&ip=&userAgent=&from=&to=&top=}: the requests that were no
 * downloads, counted, and the most requested missing paths.</li>
 * </ul>
 * FILTER is any of {@code file}, {@code ip}, {@code completed}, {@code from}, {@code to}, {@code reason},
 * {@code country}, {@code asn}, {@code userAgent} ({@link FilterParameters}). {@code from} and {@code to} are ISO-8601
 * instants ({@code 2024-05-01T10:00:00Z}) or days ({@code 2024-05-01}, UTC; {@code to} then includes that day). A bad
 * parameter gets 400 with {@code {"error": "..."}}.
 */
@Path("/smprotocol/api/downloads")
@Produces(MediaType.APPLICATION_JSON)
public class DownloadsResource {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");
    static final int MAX_PAGE_SIZE = 1000;

    @Inject
    DownloadQueries queries;
    @Inject
    DownloadsConfig config;
    ClientAddresses addresses;

    @PostConstruct
    void addresses() {
        addresses = ClientAddresses.of(config.tracking().clientAddress(), config.tracking().clientAddressKey());
    }

    @GET
    public Response list(@BeanParam FilterParameters filter, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        filter.addresses = addresses;
        return answer(() -> {
            DownloadFilter downloads = filter.downloads();
            int pageNumber = integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
            int pageSize = integer("size", size, 50, 1, MAX_PAGE_SIZE);
            return queries.list(downloads, pageNumber, pageSize);
        });
    }

    @GET
    @Path("summary")
    public Response summary(@BeanParam FilterParameters filter, @QueryParam("top") String top) {
        filter.addresses = addresses;
        return answer(() -> queries.summary(filter.downloads(), integer("top", top, 10, 1, 100)));
    }

    @GET
    @Path("series")
    public Response series(@BeanParam FilterParameters filter, @QueryParam("interval") String interval) {
        filter.addresses = addresses;
        return answer(() -> {
            DownloadSeries.Interval width = interval == null ? DownloadSeries.Interval.DAY
                    : DownloadSeries.Interval.of(interval);
            if (width == null) {
                throw new BadParameter("interval: expected hour or day, got '" + interval + "'");
            }
            return queries.series(filter.downloads(), width);
        });
    }

    @GET
    @Path("requests")
    public Response requests(@BeanParam FilterParameters filter, @QueryParam("top") String top) {
        filter.addresses = addresses;
        return answer(() -> queries.requests(filter.requests(), integer("top", top, 10, 1, 100)));
    }

    /**
     * Streams the CSV from a MongoDB cursor, a batch at a time. Once the first line is out the status is sent: a
     * failure after that cuts the response short (the client sees no final chunk) and is logged.
     */
    @GET
    @Path("export")
    @Produces({ "text/csv", MediaType.APPLICATION_JSON })
    public Response export(@BeanParam FilterParameters filter) {
        filter.addresses = addresses;
        Response refused = refusal();
        if (refused != null) {
            return refused;
        }
        MongoCursor<Document> cursor;
        try {
            // opened here, before the status is sent: MongoDB being down still gets its 503
            cursor = queries.export(filter.downloads());
        } catch (BadParameter e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (MongoException e) {
            LOG.warnf("stats API: MongoDB failed: %s", e.getMessage());
            return error(Response.Status.SERVICE_UNAVAILABLE, "MongoDB is unavailable");
        }
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 16 * 1024);
            try (cursor) {
                long lines = DownloadCsv.write(cursor, writer);
                writer.flush();
                LOG.debugf("stats API: exported %d downloads", lines);
            } catch (MongoException e) {
                LOG.warnf("stats API: export cut short, MongoDB failed: %s", e.getMessage());
                throw new IOException("MongoDB failed during the export", e);
            }
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"downloads.csv\"").build();
    }

    @GET
    @Path("{id}")
    public Response byId(@PathParam("id") String id) {
        return answer(() -> {
            if (id == null || id.isBlank() || id.length() > 200) {
                throw new BadParameter("id: not a download id");
            }
            Download download = queries.byId(id);
            if (download == null) {
                throw new NotFound("no download " + id);
            }
            return download;
        });
    }

    private interface Query {
        Object run();
    }

    /** @return the answer when tracking is off, else {@code null} */
    private Response refusal() {
        if (!config.trackingActive()) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "download tracking is disabled"
                    + " (quarkus.smprotocol.tracking.enabled=false or quarkus.smprotocol.download.enabled=false)");
        }
        return null;
    }

    private Response answer(Query query) {
        Response refused = refusal();
        if (refused != null) {
            return refused;
        }
        try {
            return Response.ok(query.run()).build();
        } catch (BadParameter e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (NotFound e) {
            return error(Response.Status.NOT_FOUND, e.getMessage());
        } catch (MongoException e) {
            LOG.warnf("stats API: MongoDB failed: %s", e.getMessage());
            return error(Response.Status.SERVICE_UNAVAILABLE, "MongoDB is unavailable");
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }

    private static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new BadParameter(name + ": expected " + min + " to " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadParameter(name + ": expected an integer, got '" + value + "'");
        }
    }

    static final class BadParameter extends RuntimeException {
        BadParameter(String message) {
            super(message, null, false, false);
        }
    }

    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }
}
