package keyquota.api.console.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The harness itself, before any console page exists: a page of the service, and pages served here with the
 * console's kind of Content-Security-Policy, one accessible and one not.
 */
@RequiresChromium
class HarnessBrowserTest extends ApiTest {

    /** Forbids inline scripts, as the console does: what axe-core needs must come in some other way. */
    private static final String CSP = "script-src 'self'";

    /** An inline script that would rename the page if the policy let it run. */
    private static final String INLINE_SCRIPT = "<script>document.title = 'inline script ran'</script>";

    private static final String ACCESSIBLE = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>Accessible</title></head>
            <body><main><h1>Search</h1>%s
            <form action="/echo"><label for="q">Query</label><input id="q" name="q"><button id="go">Go</button></form>
            </main></body></html>""".formatted(INLINE_SCRIPT);

    /** No language, an image without text, a field without a label: serious and critical violations. */
    private static final String INACCESSIBLE = """
            <!doctype html><html><head><meta charset="utf-8"><title>Inaccessible</title></head>
            <body>%s<img src="/logo.png"><input type="text" name="q"></body></html>""".formatted(INLINE_SCRIPT);

    private static HttpServer pages;

    @BeforeAll
    static void servePages() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        pages.createContext("/accessible", exchange -> respond(exchange, ACCESSIBLE));
        pages.createContext("/inaccessible", exchange -> respond(exchange, INACCESSIBLE));
        pages.createContext("/echo", exchange -> respond(exchange, """
                <!doctype html><html lang="en"><head><title>Echo</title></head>
                <body><main><h1>Echo</h1><p id="echo">%s</p></main></body></html>""".formatted(
                URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8))));
        pages.start();
    }

    @AfterAll
    static void stopPages() {
        pages.stop(0);
    }

    private static void respond(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().add("Content-Security-Policy", CSP);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String pagesUrl() {
        return "http://localhost:" + pages.getAddress().getPort();
    }

    @Test
    void readsAPageOfTheServiceAndSavesAScreenshot() throws IOException {
        try (Browser browser = Browser.desktop("http://localhost:" + port)) {
            browser.open("/actuator/health");

            assertThat(browser.path()).isEqualTo("/actuator/health");
            assertThat(browser.text("body")).contains("\"status\":\"UP\"");
            Path screenshot = browser.screenshot("harness-health");
            byte[] png = Files.readAllBytes(screenshot);
            assertThat(screenshot).isEqualTo(Path.of("target/screenshots/harness-health.png"));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void fillsAndSubmitsAFormOnAnAccessiblePageThatPassesTheAccessibilityCheck() {
        try (Browser browser = Browser.desktop(pagesUrl())) {
            browser.open("/accessible");
            assertThat(browser.driver().getTitle()).as("the policy blocked the inline script").isEqualTo("Accessible");

            browser.checkAccessibility("accessible page");

            browser.fill("#q", "quota & keys");
            browser.click("#go");
            assertThat(browser.text("#echo")).isEqualTo("q=quota & keys");
            assertThat(browser.path()).isEqualTo("/echo");
        }
    }

    @Test
    void accessibilityCheckFailsListingEverySeriousOrCriticalViolation() {
        try (Browser browser = Browser.desktop(pagesUrl())) {
            browser.open("/inaccessible");
            assertThat(browser.driver().getTitle()).as("the policy blocked the inline script").isEqualTo("Inaccessible");

            assertThatThrownBy(() -> browser.checkAccessibility("inaccessible page"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("inaccessible page: 3 serious or critical accessibility violations")
                    .hasMessageContaining("html-has-lang (serious): <html> element must have a lang attribute at [html]")
                    .hasMessageContaining("image-alt (critical): Images must have alternate text at [img]")
                    .hasMessageContaining("label (critical): Form elements must have labels at [input]");
        }
    }

    @Test
    void aPhoneIs375CssPixelsWideAndADesktop1280() {
        try (Browser phone = Browser.phone(pagesUrl()); Browser desktop = Browser.desktop(pagesUrl())) {
            phone.open("/accessible");
            desktop.open("/accessible");

            assertThat(phone.viewport().width).isEqualTo(375);
            assertThat(desktop.viewport().width).isEqualTo(1280);
        }
    }
}
