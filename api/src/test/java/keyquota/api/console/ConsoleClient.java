package keyquota.api.console;

import keyquota.api.support.Api;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser as the console's HTTP tests see it: cookies kept, redirects not followed, the CSRF token read from the
 * last page as console.js reads it. Secrets shown in a page are remembered for the leak scan.
 */
public final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("id=\"secret\">(kq_[^<]+)<");

    private final String baseUrl;
    private final HttpClient http;
    private String csrfToken;
    private String language = "en";

    public record Page(int status, HttpResponse<String> response) {

        public String body() {
            return response.body();
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String location() {
            return header("location");
        }
    }

    public ConsoleClient(int port) {
        this("http://localhost:" + port, HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    private ConsoleClient(String baseUrl, HttpClient http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    /** The same browser, cookies and all, talking to another node: what a load balancer does to it. */
    public ConsoleClient onPort(int port) {
        ConsoleClient other = new ConsoleClient("http://localhost:" + port, http);
        other.csrfToken = csrfToken;
        other.language = language;
        return other;
    }

    public ConsoleClient language(String acceptLanguage) {
        this.language = acceptLanguage;
        return this;
    }

    /** Signs in with the key through the sign-in form; returns the answer to the form (a redirect). */
    public Page signIn(String key) {
        get("/sign-in");
        Page answer = post("/sign-in", Map.of("key", key));
        if (answer.status() == 302 && answer.location().endsWith("/")) {
            // signing in gives a new CSRF token: the page the browser is sent to carries it
            Page home = get("/");
            if (home.status() == 302) {
                get(home.location().replaceFirst("^https?://[^/]+", ""));
            }
        }
        return answer;
    }

    /** A GET as a program would make it, asking for JSON, with whatever cookies this browser holds. */
    public Page getJson(String path) {
        return send(request(path).setHeader("accept", "application/json").GET());
    }

    public Page get(String path) {
        return send(request(path).GET());
    }

    /** A GET as htmx makes it, for a fragment. */
    public Page htmx(String path) {
        return send(request(path).header("HX-Request", "true").GET());
    }

    /** A GET as htmx makes it for the element with this id, which it names in {@code HX-Target}. */
    public Page htmx(String path, String target) {
        return send(request(path).header("HX-Request", "true").header("HX-Target", target).GET());
    }

    /** A form post as htmx makes it: the CSRF token in its header. */
    public Page post(String path, Map<String, ?> form) {
        return postForm(path, form, true);
    }

    public Page postWithoutCsrf(String path, Map<String, ?> form) {
        return postForm(path, form, false);
    }

    private Page postForm(String path, Map<String, ?> form, boolean csrf) {
        HttpRequest.Builder request = request(path).header("HX-Request", "true")
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        if (csrf && csrfToken != null) {
            request.header("X-CSRF-TOKEN", csrfToken);
        }
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).setHeader("accept", "text/html")
                .header("accept-language", language);
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrfToken = token.group(1);
            }
            Matcher secret = SECRET.matcher(response.body());
            while (secret.find()) {
                Api.SECRETS_SEEN.add(secret.group(1));
            }
            return new Page(response.statusCode(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, ?> form) {
        return form.entrySet().stream().flatMap(entry -> (entry.getValue() instanceof Iterable<?> values
                        ? java.util.stream.StreamSupport.stream(values.spliterator(), false)
                        : java.util.stream.Stream.of(entry.getValue()))
                        .map(value -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }
}
