package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.mongodb.MongoException;

import io.smprotocol.downloads.runtime.config.DownloadsConfig;

/**
 * The stats API of download tracking, on the application's HTTP server, in JSON:
 * <ul>
 * <li>{@code GET /smprotocol/api/downloads?file=&ip=&completed=&from=&to=&page=&size=}: downloads, newest first;</li>
 * <li>{@code GET /smprotocol/api/downloads/{id}}: one download;</li>
 * <li>{@code GET /smprotocol/api/downloads/summary?file=&ip=&from=&to=&top=}: totals and breakdowns.</li>
 * </ul>
 * {@code from} and {@code to} are ISO-8601 instants ({@code 2024-05-01T10:00:00Z}) or days ({@code 2024-05-01},
 * UTC; {@code to} then includes that day). A bad parameter gets 400 with {@code {"error": "..."}}.
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

    @GET
    public Response list(@QueryParam("file") String file, @QueryParam("ip") String ip,
            @QueryParam("completed") String completed, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        return answer(() -> {
            DownloadQueries.Filter filter = filter(file, ip, completed, from, to);
            int pageNumber = integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
            int pageSize = integer("size", size, 50, 1, MAX_PAGE_SIZE);
            return queries.list(filter, pageNumber, pageSize);
        });
    }

    @GET
    @Path("summary")
    public Response summary(@QueryParam("file") String file, @QueryParam("ip") String ip,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("top") String top) {
        return answer(() -> queries.summary(filter(file, ip, null, from, to), integer("top", top, 10, 1, 100)));
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

    private Response answer(Query query) {
        if (!config.trackingActive()) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "download tracking is disabled"
                    + " (quarkus.smprotocol.tracking.enabled=false or quarkus.smprotocol.download.enabled=false)");
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

    static DownloadQueries.Filter filter(String file, String ip, String completed, String from, String to) {
        Boolean done = null;
        if (completed != null) {
            if (completed.equalsIgnoreCase("true")) {
                done = true;
            } else if (completed.equalsIgnoreCase("false")) {
                done = false;
            } else {
                throw new BadParameter("completed: expected true or false, got '" + completed + "'");
            }
        }
        if (file != null && (file.isEmpty() || !file.startsWith("/"))) {
            throw new BadParameter("file: expected a path starting with '/', got '" + file + "'");
        }
        if (ip != null && GeoLookup.parse(ip) == null) {
            throw new BadParameter("ip: not an IP address: '" + ip + "'");
        }
        Instant start = instant("from", from, false);
        Instant end = instant("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new BadParameter("from must be before to");
        }
        return new DownloadQueries.Filter(file, ip, done, start, end);
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
                throw new BadParameter(name + ": expected an ISO-8601 instant (2024-05-01T10:00:00Z) or day"
                        + " (2024-05-01), got '" + value + "'");
            }
        }
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
