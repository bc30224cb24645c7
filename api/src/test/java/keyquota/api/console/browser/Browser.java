package keyquota.api.console.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A headless Chromium for the console's end-to-end tests: Debian's chromium driven by Debian's chromedriver, both
 * named explicitly so that Selenium Manager never runs (it would try to download a driver). Each browser has a
 * fresh profile of its own, deleted by {@link #close()}.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** In the org.webjars.npm:axe-core test dependency, whose version it names. */
    private static final String AXE = "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final Path profile;
    private final ChromeDriver driver;
    private final Wait<WebDriver> wait;

    private Browser(String baseUrl, boolean phone) {
        this.baseUrl = baseUrl;
        try {
            profile = Files.createTempDirectory("keyquota-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toString())
                // --no-sandbox: Chromium's sandbox refuses root, which CI runs as; --disable-dev-shm-usage: a
                // container's /dev/shm may be small; the network flags keep it from calling out to a closed network
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                        "--window-size=1280,900");
        if (phone) {
            // Chromium keeps windows at least 500 px wide, headless too, so a phone's width needs its emulation.
            // Like a phone, it lays out a page without <meta name="viewport"> 980 px wide.
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", 375, "height", 812, "pixelRatio", 2, "touch", true, "mobile", true)));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT).withMessage(() -> "on " + driver.getCurrentUrl());
    }

    /** A desktop window, 1280 by 900, on the service at this address (http://localhost:port). */
    public static Browser desktop(String baseUrl) {
        return new Browser(baseUrl, false);
    }

    /** A phone's screen, 375 by 812 CSS pixels at twice the density, for the mobile layout. */
    public static Browser phone(String baseUrl) {
        return new Browser(baseUrl, true);
    }

    /** Loads the page at this path of the base address and waits for it to finish loading. */
    public void open(String path) {
        driver.get(baseUrl + path);
    }

    /** Signs in through the sign-in page with this key and waits for a signed-in page (its sign-out form). */
    public void signIn(String key) {
        open("/sign-in");
        fill("#key", key);
        click("#sign-in");
        waitFor("form#sign-out");
    }

    /** Replaces the value of the field with this text. */
    public void fill(String css, String text) {
        WebElement field = waitFor(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks the element once it is visible and enabled. */
    public void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** The element, once it is visible: pages change after htmx swaps, so every look-up waits. */
    public WebElement waitFor(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits until no element matches: a closed dialog, say, which goes once its close event has run. */
    public void waitForNone(String css) {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), 0));
    }

    /** The visible text of the element. */
    public String text(String css) {
        return waitFor(css).getText();
    }

    /** The path of the current page. */
    public String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** For what the methods here do not cover. */
    public ChromeDriver driver() {
        return driver;
    }

    /** Saves what the window shows as target/screenshots/{name}.png and returns the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            return Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs axe-core on the current page and fails listing every serious or critical violation. The script is
     * injected through the driver (DevTools evaluation), which the page's Content-Security-Policy does not apply to.
     */
    public void checkAccessibility(String pageName) {
        JavascriptExecutor js = driver;
        js.executeScript("if (typeof window.axe === 'undefined') { " + axeSource() + " }");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document).then(r => done({
                    violations: r.violations
                        .filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                                    targets: v.nodes.map(n => n.target.join(' '))}))
                }), e => done({error: String(e)}));
                """);
        // a rejected run answers too, rather than leaving the script to time out
        if (result.containsKey("error")) {
            throw new AssertionError(pageName + ": axe-core failed: " + result.get("error"));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) result.get("violations");
        if (!violations.isEmpty()) {
            StringBuilder message = new StringBuilder(pageName + ": " + violations.size()
                    + " serious or critical accessibility violations");
            violations.forEach(v -> message.append("\n  ").append(v.get("id")).append(" (").append(v.get("impact"))
                    .append("): ").append(v.get("help")).append(" at ").append(v.get("targets")));
            throw new AssertionError(message);
        }
    }

    /** The size of the page's layout viewport in CSS pixels, which is what the page's media queries see. */
    public Dimension viewport() {
        @SuppressWarnings("unchecked")
        List<Number> size = (List<Number>) driver.executeScript("return [window.innerWidth, window.innerHeight];");
        return new Dimension(size.get(0).intValue(), size.get(1).intValue());
    }

    private static String axeSource() {
        try (InputStream in = Browser.class.getResourceAsStream(AXE)) {
            if (in == null) {
                throw new IllegalStateException(AXE + " is not on the test classpath (org.webjars.npm:axe-core)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quits the browser and its driver and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                FileSystemUtils.deleteRecursively(profile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
