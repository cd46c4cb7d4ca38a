package io.smprotocol.downloads.runtime.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.vertx.core.buffer.Buffer;

/**
 * The dashboard's files, read from the class path once and kept in memory: the page, its script and style (this
 * jar), and ECharts from the {@code org.mvnpm:echarts} jar. Answering from memory keeps the event loop free of file
 * reads, and the page needs nothing from the network but the application itself.
 */
final class DashboardAssets {

    /** One file as it is answered. */
    record Asset(Buffer body, String contentType, String etag) {
    }

    private static final String OWN = "smprotocol-dashboard/";
    private static final String ECHARTS_POM = "META-INF/maven/org.mvnpm/echarts/pom.properties";

    private DashboardAssets() {
    }

    /**
     * @param apiBase the stats API's location relative to the page, such as {@code ../smprotocol/api/}
     * @return the files by their name relative to the page ({@code ""} is the page itself)
     */
    static Map<String, Asset> load(String apiBase) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Map<String, Asset> assets = new LinkedHashMap<>();
        String page = new String(read(loader, OWN + "index.html"), StandardCharsets.UTF_8).replace("{{api}}", apiBase);
        assets.put("", asset(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
        assets.put("dashboard.js", asset(read(loader, OWN + "dashboard.js"), "text/javascript; charset=utf-8"));
        assets.put("dashboard.css", asset(read(loader, OWN + "dashboard.css"), "text/css; charset=utf-8"));
        // the "common" build holds the line, bar and pie charts the page draws, at two thirds of the full size
        assets.put("echarts.js", asset(read(loader, "META-INF/resources/_static/echarts/" + echartsVersion(loader)
                + "/dist/echarts.common.min.js"), "text/javascript; charset=utf-8"));
        return assets;
    }

    /**
     * @param path the page's path, with a leading and a trailing {@code /}
     * @return the stats API's base relative to it: one {@code ../} per segment of the path
     */
    static String apiBase(String path) {
        StringBuilder base = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                base.append("../");
            }
        }
        return base.append("smprotocol/api/").toString();
    }

    private static String echartsVersion(ClassLoader loader) {
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(ECHARTS_POM)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard needs org.mvnpm:echarts on the class path (" + ECHARTS_POM
                        + " is missing)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's file " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(byte[] bytes, String contentType) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            return new Asset(Buffer.buffer(bytes), contentType, etag);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
