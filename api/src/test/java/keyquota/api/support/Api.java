package keyquota.api.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A black-box HTTP client for the service under test. Every secret it sees in a response is remembered, so a
 * later test can prove none of them was stored or logged.
 */
public class Api {

    /** Every key secret any test received. */
    public static final Set<String> SECRETS_SEEN = ConcurrentHashMap.newKeySet();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    public Api(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public record Response(int status, String contentType, JsonNode body, String raw, HttpHeaders headers) {

        public Response(int status, String contentType, JsonNode body, String raw) {
            this(status, contentType, body, raw, HttpHeaders.of(Map.of(), (name, value) -> true));
        }

        /** The header's first value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String code() {
            return body.path("code").asString();
        }

        public String text(String field) {
            return body.path(field).asString();
        }
    }

    public Response get(String path, String key) {
        return send(request(path, key).GET());
    }

    public Response delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    public Response post(String path, String key, String json) {
        return send(request(path, key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String key, String json) {
        return send(request(path, key).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any request the typed methods cannot express: other methods, content types or headers. */
    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            String contentType = response.headers().firstValue("content-type").orElse("");
            // the actuator's metrics, a CSV report or a page are read as they are
            JsonNode body = raw == null || raw.isBlank() || !contentType.contains("json") ? JSON.missingNode()
                    : JSON.readTree(raw);
            if (body.path("key").isString()) {
                SECRETS_SEEN.add(body.path("key").asString());
            }
            return new Response(response.statusCode(), contentType, body, raw, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (key != null) {
            builder.header("x-api-key", key);
        }
        return builder;
    }

    public static String json(Object... fieldsAndValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            out.append(i == 0 ? "" : ",").append('"').append(fieldsAndValues[i]).append("\":")
                    .append(JSON.writeValueAsString(fieldsAndValues[i + 1]));
        }
        return out.append('}').toString();
    }
}
