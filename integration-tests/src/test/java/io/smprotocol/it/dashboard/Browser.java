package io.smprotocol.it.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.smprotocol.it.download.Programs;

/**
 * Debian's chromium, headless, driven through its chromedriver. Found on PATH; a test whose browser is missing is
 * skipped naming the packages. Waits are on the page's state, never on time.
 */
final class Browser implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChromeDriverService service;
    final ChromeDriver driver;

    private Browser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    static Browser start() throws IOException {
        String missing = "chromium and chromedriver not installed: apt-get install chromium chromium-driver";
        assumeTrue(Programs.onPath("chromium") && Programs.onPath("chromedriver"), missing);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(which("chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(which("chromium"));
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--force-device-scale-factor=1", "--lang=en-GB");
        service.start();
        try {
            return new Browser(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    private static String which(String program) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(program + " not on PATH");
    }

    <T> T until(Function<WebDriver, T> condition) {
        // the live table is rebuilt on every event: an element read between two of them may be gone
        return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class, NoSuchElementException.class).until(condition);
    }

    WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Saves a screenshot for the docs when {@code dashboard.screenshots} names a folder. */
    void screenshot(String name) throws IOException {
        String folder = System.getProperty("dashboard.screenshots");
        if (folder != null) {
            Path target = Path.of(folder).resolve(name + ".png");
            Files.createDirectories(target.getParent());
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
