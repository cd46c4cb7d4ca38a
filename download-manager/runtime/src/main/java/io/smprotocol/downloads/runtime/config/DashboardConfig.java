package io.smprotocol.downloads.runtime.config;

import io.smallrye.config.WithDefault;

/**
 * The operator's dashboard: a page on the application's HTTP port that shows the stats API's figures, the downloads
 * in progress and the listeners.
 */
public interface DashboardConfig {

    /**
     * Whether the page is served. Off: its path answers 404; the stats API stays as it is.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The page's path on the application's HTTP port, with a leading and a trailing {@code /}. The page reaches the
     * stats API under {@code /smprotocol/api/} through relative URLs, so both keep working behind a reverse proxy that
     * adds a path prefix.
     */
    @WithDefault("/smprotocol/")
    String path();
}
