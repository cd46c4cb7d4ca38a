package io.smprotocol.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.Listeners;
import io.smprotocol.downloads.runtime.http.DownloadServer;
import io.smprotocol.downloads.runtime.tracking.Download;
import io.smprotocol.it.LineClient;
import io.smprotocol.it.download.RawHttp;
import io.smprotocol.it.download.TestFiles;
import io.smprotocol.it.tracking.GeoDatabases;

/**
 * The dashboard in a real browser, after real downloads: what it shows is what the stats API answers, the live list
 * follows a throttled download, the period and file filters change the figures, and a restart button restarts its
 * protocol.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
class DashboardBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int SMALL = 50_000;
    static final int MEDIUM = 300_000;
    static final int LARGE = 1_500_000;

    static Browser browser;
    static String prefix;
    static String completeAgent;

    @Inject
    DownloadServer server;
    @Inject
    Listeners listeners;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** One complete download from London, one resumed from Paris, one aborted from a private address. */
    @BeforeEach
    void knownDownloads() throws IOException {
        if (prefix != null) {
            return;
        }
        prefix = "/dash-" + System.nanoTime();
        TestFiles.random(server.root().resolve(prefix.substring(1) + "/small.bin"), SMALL, 41);
        TestFiles.random(server.root().resolve(prefix.substring(1) + "/medium.bin"), MEDIUM, 42);
        TestFiles.random(server.root().resolve(prefix.substring(1) + "/large.bin"), LARGE, 43);
        completeAgent = "dash-complete-" + System.nanoTime();
        String resumed = "dash-resumed-" + System.nanoTime();
        String aborted = "dash-aborted-" + System.nanoTime();
        assertThat(RawHttp.get(server.port(), prefix + "/small.bin", "User-Agent: " + completeAgent,
                "X-Forwarded-For: " + GeoDatabases.LONDON).status()).isEqualTo(200);
        assertThat(RawHttp.get(server.port(), prefix + "/medium.bin", "User-Agent: " + resumed,
                "X-Forwarded-For: " + GeoDatabases.PARIS, "Range: bytes=0-99999").status()).isEqualTo(206);
        assertThat(RawHttp.get(server.port(), prefix + "/medium.bin", "User-Agent: " + resumed,
                "X-Forwarded-For: " + GeoDatabases.PARIS, "Range: bytes=100000-").status()).isEqualTo(206);
        try (RawHttp client = new RawHttp(server.port())) {
            client.sendOnly("GET", prefix + "/medium.bin", "User-Agent: " + aborted, "X-Forwarded-For: 10.1.2.3");
            assertThat(client.readHead().status()).isEqualTo(200);
            client.input().readNBytes(10_000);
        }
        assertThat(ended(completeAgent).endReason.name()).isEqualTo("COMPLETED");
        Download resumedRecord = ended(resumed);
        assertThat(resumedRecord.requests).isEqualTo(2);
        assertThat(resumedRecord.completed).isTrue();
        assertThat(ended(aborted).endReason.name()).isEqualTo("CLIENT_ABORTED");
    }

    static Download ended(String agent) {
        await().atMost(Browser.TIMEOUT).until(() -> {
            List<Download> found = Download.<Download> find("client.userAgent", agent).list();
            return found.size() == 1 && found.get(0).endReason != null
                    && found.get(0).parts.values().stream().noneMatch(p -> p.open);
        });
        return Download.<Download> find("client.userAgent", agent).firstResult();
    }

    static String base() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    static JsonNode api(String pathAndQuery) throws Exception {
        return api(pathAndQuery, 200);
    }

    static JsonNode api(String pathAndQuery, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** Opens the page and waits for its figures; returns how many times they were loaded. */
    int open() {
        browser.driver.get(base() + "/smprotocol/");
        return loadedAfter(0);
    }

    int loadedAfter(int before) {
        return browser.until(d -> {
            int loaded = Integer.parseInt(browser.element("figures").getAttribute("data-loaded"));
            return loaded > before ? loaded : null;
        });
    }

    /** The figures as the page shows them, and the summary the API answers for the page's own query. */
    void assertFiguresMatchTheApi() throws Exception {
        String query = browser.element("figures").getAttribute("data-query");
        JsonNode summary = api("/smprotocol/api/downloads/summary?" + query);
        for (String figure : List.of("started", "completed", "inProgress", "bytesSent", "coveredBytes")) {
            assertThat(browser.element(figure).getAttribute("data-value")).as(figure)
                    .isEqualTo(summary.get(figure).asText());
        }
        assertThat(Double.parseDouble(browser.element("completionRatio").getAttribute("data-value")))
                .isEqualTo(summary.get("completionRatio").asDouble());
        String median = browser.element("medianDurationMs").getAttribute("data-value");
        if (summary.has("medianDurationMs")) {
            assertThat(Double.parseDouble(median)).isEqualTo(summary.get("medianDurationMs").asDouble());
        } else {
            assertThat(median).isEmpty();
        }
        assertThat(chart("chart-countries")).isEqualTo(counts(summary.get("byCountry")));
        assertThat(chart("chart-reasons")).isEqualTo(counts(summary.get("byEndReason")));
        assertThat(bars("chart-agents")).isEqualTo(counts(summary.get("topUserAgents")));
        Map<String, Long> networks = new TreeMap<>();
        summary.get("topNetworks").forEach(n -> networks.put(n.get("asn").isNull() ? "UNKNOWN"
                : "AS" + n.get("asn").asLong() + " " + n.get("organization").asText(), n.get("downloads").asLong()));
        assertThat(bars("chart-asns")).isEqualTo(networks);
    }

    /** What a bar chart draws: its categories and their values, read from ECharts itself. */
    @SuppressWarnings("unchecked")
    Map<String, Long> bars(String id) {
        Map<String, Object> option = (Map<String, Object>) browser.script(
                "const o = echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption();"
                        + "return {names: o.yAxis[0].data, values: o.series[0].data};",
                id);
        List<String> names = (List<String>) option.get("names");
        List<Number> values = (List<Number>) option.get("values");
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            counts.put(names.get(i), values.get(i).longValue());
        }
        return counts;
    }

    /** What a pie chart draws, read from ECharts itself. */
    @SuppressWarnings("unchecked")
    Map<String, Long> chart(String id) {
        List<Map<String, Object>> data = (List<Map<String, Object>>) browser.script(
                "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series[0].data"
                        + ".map(d => ({name: d.name, value: d.value}))",
                id);
        Map<String, Long> counts = new TreeMap<>();
        data.forEach(d -> counts.put((String) d.get("name"), ((Number) d.get("value")).longValue()));
        return counts;
    }

    static Map<String, Long> counts(JsonNode map) {
        Map<String, Long> counts = new TreeMap<>();
        map.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    @Test
    void showsTheSameFiguresAsTheApi() throws Exception {
        open();
        assertFiguresMatchTheApi();
        Map<String, Long> countries = chart("chart-countries");
        assertThat(countries).containsKeys("GB", "FR");
        browser.screenshot("dashboard-overview");
    }

    @Test
    void theFiltersChangeTheFigures() throws Exception {
        int loaded = open();
        long all = Long.parseLong(browser.element("started").getAttribute("data-value"));
        assertThat(all).isGreaterThanOrEqualTo(3);

        // one file: the complete download alone
        browser.element("file").sendKeys(prefix + "/small.bin");
        browser.element("apply").click();
        loaded = loadedAfter(loaded);
        assertThat(browser.element("started").getAttribute("data-value")).isEqualTo("1");
        assertThat(chart("chart-countries")).isEqualTo(Map.of("GB", 1L));
        assertThat(bars("chart-asns")).isEqualTo(Map.of("AS20712 Andrews & Arnold Ltd", 1L));
        assertThat(bars("chart-agents")).isEqualTo(Map.of(completeAgent, 1L));
        assertFiguresMatchTheApi();

        // a period that ended before these downloads started
        browser.element("file").clear();
        browser.script("document.getElementById('period').value = 'range';"
                + "document.getElementById('from').value = '2020-01-01T00:00';"
                + "document.getElementById('to').value = '2020-01-02T00:00';"
                + "document.getElementById('period').dispatchEvent(new Event('change'));");
        browser.element("apply").click();
        loaded = loadedAfter(loaded);
        assertThat(browser.element("started").getAttribute("data-value")).isEqualTo("0");
        assertFiguresMatchTheApi();

        browser.script("document.getElementById('period').value = 'hour';"
                + "document.getElementById('period').dispatchEvent(new Event('change'));");
        loadedAfter(loaded);
        assertThat(Long.parseLong(browser.element("started").getAttribute("data-value"))).isGreaterThanOrEqualTo(3);
        assertFiguresMatchTheApi();
    }

    @Test
    void theLatestDownloadsAreSearchableAndOpenTheirRecord() throws Exception {
        open();
        browser.element("search").sendKeys(prefix + "/small");
        WebElement row = browser.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#latest tbody tr"));
            return rows.size() == 1 ? rows.get(0) : null;
        });
        assertThat(row.getText()).contains(prefix + "/small.bin", GeoDatabases.LONDON, "GB", "COMPLETED");
        row.click();
        WebElement record = browser.until(d -> {
            WebElement dialog = d.findElement(By.id("record"));
            return dialog.getAttribute("open") != null && dialog.getText().contains("requests:") ? dialog : null;
        });
        assertThat(record.getText()).contains(prefix + "/small.bin", "COMPLETED", completeAgent, "200",
                "covered: 0-" + (SMALL - 1));
        browser.screenshot("dashboard-record");
    }

    @Test
    void aThrottledDownloadAdvancesLiveAndLeavesTheListWhenItCompletes() throws Exception {
        int loaded = open();
        browser.until(d -> "live".equals(browser.element("live-state").getAttribute("data-state")) ? true : null);
        String agent = "dash-live-" + System.nanoTime();
        CompletableFuture<Integer> download = CompletableFuture.supplyAsync(() -> {
            try (RawHttp client = new RawHttp(server.port())) {
                client.sendOnly("GET", prefix + "/large.bin", "User-Agent: " + agent,
                        "X-Forwarded-For: " + GeoDatabases.LONDON);
                client.readHead();
                InputStream body = client.input();
                return body.readNBytes(LARGE).length;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        By row = By.cssSelector("#live tbody tr");
        long first = browser.until(d -> {
            List<WebElement> rows = d.findElements(row);
            return rows.isEmpty() ? null : Long.parseLong(rows.get(0).getAttribute("data-position"));
        });
        browser.until(d -> d.findElement(row).getText().contains(prefix + "/large.bin") ? true : null);
        long later = browser.until(d -> {
            List<WebElement> rows = d.findElements(row);
            long position = rows.isEmpty() ? -1 : Long.parseLong(rows.get(0).getAttribute("data-position"));
            return position > first ? position : null;
        });
        assertThat(later).isLessThan(LARGE);
        Number bar = (Number) browser.script("return document.querySelector('#live tbody progress').value");
        assertThat(bar.longValue()).isGreaterThan(first);
        browser.until(d -> d.findElement(row).getText().contains(GeoDatabases.LONDON) ? true : null);
        browser.screenshot("dashboard-live");

        assertThat(download.get()).isEqualTo(LARGE);
        browser.until(d -> d.findElements(row).isEmpty() ? true : null);
        // the page reloads its figures when a download leaves the list
        loadedAfter(loaded);
        assertThat(ended(agent).completed).isTrue();
    }

    @Test
    void aResumedDownloadsBarShowsEverythingTheDownloadCoveredNotJustItsLastRequest() throws Exception {
        open();
        browser.until(d -> "live".equals(browser.element("live-state").getAttribute("data-state")) ? true : null);
        String agent = "dash-resume-" + System.nanoTime();
        int head = 100_000;
        int from = 500_000;
        assertThat(RawHttp.get(server.port(), prefix + "/large.bin", "User-Agent: " + agent,
                "X-Forwarded-For: " + GeoDatabases.PARIS, "Range: bytes=0-" + (head - 1)).status()).isEqualTo(206);
        // the same client resumes further on, leaving a hole: its download covers the head and what this one sends
        CompletableFuture<Integer> resumed = CompletableFuture.supplyAsync(() -> {
            try (RawHttp client = new RawHttp(server.port())) {
                client.sendOnly("GET", prefix + "/large.bin", "User-Agent: " + agent,
                        "X-Forwarded-For: " + GeoDatabases.PARIS, "Range: bytes=" + from + "-");
                client.readHead();
                return client.input().readNBytes(LARGE - from).length;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        By row = By.cssSelector("#live tbody tr");
        long[] shown = browser.until(d -> {
            List<WebElement> rows = d.findElements(row);
            if (rows.isEmpty()) {
                return null;
            }
            long position = Long.parseLong(rows.get(0).getAttribute("data-position"));
            long covered = Long.parseLong(rows.get(0).getAttribute("data-covered"));
            return position > from ? new long[] { position, covered } : null;
        });
        assertThat(shown[1]).isEqualTo(head + shown[0] - from);
        assertThat(resumed.get()).isEqualTo(LARGE - from);
        browser.until(d -> d.findElements(row).isEmpty() ? true : null);
        Download download = ended(agent);
        assertThat(download.requests).isEqualTo(2);
        assertThat(download.coveredBytes).isEqualTo(head + LARGE - from);
    }

    @Test
    void aRestartButtonRestartsItsProtocol() throws Exception {
        open();
        long starts = listeners.status("ping").starts();
        By ping = By.cssSelector("#listeners tr[data-name='ping']");
        WebElement row = browser.until(d -> d.findElements(ping).isEmpty() ? null : d.findElement(ping));
        assertThat(row.getAttribute("data-starts")).isEqualTo(String.valueOf(starts));
        browser.until(d -> d.findElements(By.cssSelector("#commands tr[data-listener='download']")).isEmpty() ? null
                : true);
        browser.script("document.getElementById('listeners').scrollIntoView()");
        browser.screenshot("dashboard-listeners");
        row.findElement(By.cssSelector("button.restart")).click();
        browser.driver.switchTo().alert().accept();
        browser.until(d -> String.valueOf(starts + 1).equals(d.findElement(ping).getAttribute("data-starts"))
                && d.findElement(ping).getText().contains("RUNNING") ? true : null);
        assertThat(listeners.status("ping").starts()).isEqualTo(starts + 1);
    }

    @Test
    void eachListenersCommandsShowTheirCountsAsTheApiGivesThem() throws Exception {
        try (LineClient ping = LineClient.connect(listeners.status("ping").port())) {
            for (int i = 0; i < 25; i++) {
                assertThat(ping.sendLine("PING").readLine()).isEqualTo("+PONG");
            }
        }
        long pings = listeners.commands("ping").stream().filter(c -> c.verb().equals("PING")).findFirst()
                .orElseThrow().count();
        assertThat(pings).isGreaterThanOrEqualTo(25);
        JsonNode api = api("/smprotocol/api/listeners/ping/commands");
        JsonNode verb = null;
        for (JsonNode command : api) {
            if (command.get("verb").asText().equals("PING")) {
                verb = command;
            }
        }
        assertThat(verb).isNotNull();
        assertThat(verb.get("count").asLong()).isEqualTo(pings);
        assertThat(verb.get("replies").asLong()).isEqualTo(pings);
        assertThat(verb.get("meanLatencyMillis").asDouble()).isNotNegative();

        open();
        By row = By.cssSelector("#commands tr[data-listener='ping'][data-verb='PING']");
        WebElement shown = browser.until(d -> d.findElements(row).isEmpty() ? null : d.findElement(row));
        assertThat(shown.getAttribute("data-count")).isEqualTo(String.valueOf(pings));
        assertThat(shown.getText()).contains("ping", "PING", String.valueOf(pings), " ms");
        // the download listener counts its requests per HTTP method
        browser.until(d -> d.findElements(By.cssSelector("#commands tr[data-listener='download'][data-verb='GET']"))
                .isEmpty() ? null : true);
        assertThat(api("/smprotocol/api/listeners/nothing/commands", 404).get("error").asText()).contains("nothing");
    }

    @Test
    void thePageAndItsFilesComeFromTheApplication() throws Exception {
        for (String file : List.of("", "dashboard.js", "dashboard.css", "echarts.js")) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(base() + "/smprotocol/" + file)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            String etag = response.headers().firstValue("ETag").orElseThrow();
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/smprotocol/" + file))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(304);
        }
        String page = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/smprotocol/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // relative URLs only: the page works under any prefix a reverse proxy adds
        assertThat(page).contains("data-api=\"../smprotocol/api/\"").doesNotContain("http://", "https://", "src=\"/",
                "href=\"/");
        HttpResponse<Void> bare = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/smprotocol")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("smprotocol/");
    }
}
