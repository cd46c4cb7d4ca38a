package io.smprotocol.downloads.runtime.devui;

import jakarta.inject.Inject;

import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.tracking.DownloadQueries;
import io.smprotocol.downloads.runtime.tracking.DownloadTracker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the Dev UI's Downloads page calls: the download listener's counts, tracking's counts, and the latest logical
 * downloads recorded in MongoDB.
 */
public class DownloadsJsonRpcService {

    /** How many of the latest downloads the page lists. */
    static final int LATEST = 20;

    private final DownloadServer server;
    private final DownloadTracker tracker;
    private final DownloadQueries queries;

    @Inject
    public DownloadsJsonRpcService(DownloadServer server, DownloadTracker tracker, DownloadQueries queries) {
        this.server = server;
        this.tracker = tracker;
        this.queries = queries;
    }

    /**
     * Runs on a worker thread (the Dev UI calls methods that return plain values there): it queries MongoDB.
     *
     * @return {@code listener}, {@code tracking} and {@code latest} (or {@code latestError} when MongoDB did not
     *         answer)
     */
    public JsonObject getDownloads() {
        JsonObject result = new JsonObject()
                .put("listener", new JsonObject()
                        .put("state", server.state().name())
                        .put("port", server.port())
                        .put("root", server.root().toString())
                        .put("requests", server.requests())
                        .put("localCacheHits", server.localCacheHits())
                        .put("memcachedHits", server.cacheHits()))
                .put("tracking", new JsonObject()
                        .put("running", tracker.running())
                        .put("started", tracker.startedDownloads())
                        .put("completed", tracker.completedDownloads())
                        .put("stopped", tracker.stoppedDownloads())
                        .put("pending", tracker.pending())
                        .put("journalSize", tracker.journalSize()));
        if (!tracker.running()) {
            return result.put("latest", new JsonArray());
        }
        try {
            JsonArray latest = new JsonArray();
            for (DownloadQueries.Latest download : queries.latest(LATEST)) {
                latest.add(new JsonObject()
                        .put("id", download.id())
                        .put("path", download.path())
                        .put("client", download.client())
                        .put("startedAt", String.valueOf(download.startedAt()))
                        .put("requests", download.requests())
                        .put("bytesSent", download.bytesSent())
                        .put("percent", download.percent())
                        .put("endReason", download.endReason() == null ? "IN_PROGRESS" : download.endReason().name()));
            }
            return result.put("latest", latest);
        } catch (RuntimeException e) {
            return result.put("latest", new JsonArray()).put("latestError", String.valueOf(e.getMessage()));
        }
    }
}
