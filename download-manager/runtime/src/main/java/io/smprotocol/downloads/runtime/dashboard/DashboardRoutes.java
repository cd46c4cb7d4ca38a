package io.smprotocol.downloads.runtime.dashboard;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.smprotocol.downloads.runtime.config.DashboardConfig;
import io.smprotocol.downloads.runtime.config.DownloadsConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the dashboard's page and files on the application's HTTP router, at {@code quarkus.smprotocol.dashboard.path}.
 * Only these exact paths are routed, so the stats API under the same prefix is never shadowed. The files are answered
 * from memory with an ETag, so a reload costs a 304.
 */
@Singleton
public class DashboardRoutes {

    private final DashboardConfig config;

    public DashboardRoutes(DownloadsConfig config) {
        this.config = config.dashboard();
    }

    void routes(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        String path = normalise(config.path());
        Map<String, DashboardAssets.Asset> assets = DashboardAssets.load(DashboardAssets.apiBase(path));
        String bare = path.substring(0, path.length() - 1);
        String last = bare.substring(bare.lastIndexOf('/') + 1);
        if (!last.isEmpty()) {
            // without its trailing slash the page's relative URLs would resolve one level too high; Vert.x routes the
            // path with the slash here too, which goes on to the page
            router.route(HttpMethod.GET, bare).handler(context -> {
                if (context.request().path().endsWith("/")) {
                    context.next();
                } else {
                    context.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, last + "/").end();
                }
            });
        }
        assets.forEach((name, asset) -> router.route(HttpMethod.GET, path + name).handler(context -> serve(context,
                asset)));
    }

    private static void serve(RoutingContext context, DashboardAssets.Asset asset) {
        var response = context.response().putHeader(HttpHeaders.ETAG, asset.etag())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (asset.etag().equals(context.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).end(asset.body());
    }

    static String normalise(String path) {
        String trimmed = path.trim();
        if (!trimmed.startsWith("/")) {
            trimmed = "/" + trimmed;
        }
        return trimmed.endsWith("/") ? trimmed : trimmed + "/";
    }
}
