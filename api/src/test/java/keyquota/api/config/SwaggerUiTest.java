package keyquota.api.config;

import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Swagger UI at /swagger-ui.html: served from the jar, without a key, on the service's own /v3/api-docs. */
class SwaggerUiTest extends ApiTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePageAndItsAssetsAnswerWithoutAKey() {
        HttpResponse<String> entry = get("/swagger-ui.html");
        assertThat(entry.statusCode()).isEqualTo(302);
        assertThat(entry.headers().firstValue("location")).hasValue("/swagger-ui/index.html");

        HttpResponse<String> page = get("/swagger-ui/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui-bundle.js", "swagger-initializer.js")
                .as("nothing from a CDN").doesNotContain("http://", "https://");
        assertThat(page.headers().firstValue("content-security-policy").orElse(""))
                .contains("script-src 'self';", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("set-cookie")).as("no session").isEmpty();

        for (String asset : List.of("swagger-ui.css", "index.css", "swagger-ui-bundle.js",
                "swagger-ui-standalone-preset.js", "swagger-initializer.js", "favicon-32x32.png")) {
            assertThat(get("/swagger-ui/" + asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void itLoadsTheServicesOwnDescription() {
        HttpResponse<String> initializer = get("/swagger-ui/swagger-initializer.js");
        assertThat(initializer.body()).contains("/v3/api-docs/swagger-config").doesNotContain("petstore");

        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        assertThat(config.body()).contains("\"url\":\"/v3/api-docs\"", "\"validatorUrl\":\"none\"");

        HttpResponse<String> description = get("/v3/api-docs");
        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.body()).contains("\"openapi\"");
    }
}
