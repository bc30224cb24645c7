package keyquota.api.fuzz;

import keyquota.api.fuzz.Operations.Operation;
import keyquota.api.fuzz.RequestGenerator.FuzzRequest;
import keyquota.api.fuzz.RequestGenerator.Header;
import keyquota.api.fuzz.World.Caller;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.secret.KeySecret;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A property-based fuzz of the whole HTTP API, driven by its own OpenAPI description: for every operation that
 * GET /v3/api-docs lists, requests built from the description (see {@link RequestGenerator}) with hostile path and
 * query parameters, callers, headers, content types and bodies. Whatever is sent, the contract holds:
 * <ul>
 *     <li>no answer is a 5xx (a 503 only while the database is away, which it never is here);</li>
 *     <li>every 4xx is {@code application/problem+json} with a non-empty string {@code code};</li>
 *     <li>a rejected request changes nothing: the event store holds as many events after it as before.</li>
 * </ul>
 * The violations are collected, deduplicated by operation, kind of mutation and status, and reported together.
 * <p>
 * The seed is printed; {@code -Dkeyquota.fuzz.seed=<seed>} draws the same requests again (only the ids of what the
 * run made differ), and {@code -Dkeyquota.fuzz.requests=<n>} sets the requests per operation. It runs in a test JVM
 * and database of its own (tagged {@code fuzz}: the surefire execution {@code fuzz} in api/pom.xml), so that the replays it starts and
 * the service keys it makes disturb no other test; the leak scan at its end
 * ({@link keyquota.api.support.LeakScanAtEnd}) checks the secrets handed out here.
 */
@Tag("fuzz")
class OpenApiFuzzTest extends ApiTest {

    private static final int REQUESTS_PER_OPERATION = Integer.getInteger("keyquota.fuzz.requests", 80);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern SECRET = Pattern.compile("kq_[0-9A-Za-z]{38}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** What the server answered; {@code status} -1 when it did not answer at all. */
    private record Answer(int status, String contentType, String body) {
    }

    /** A distinct violation, with the first request that showed it and how often it was seen. */
    private static final class Violation {
        final String operation;
        final String kind;
        final int status;
        final List<String> problems;
        final String request;
        final String answer;
        int seen = 1;

        Violation(String operation, String kind, int status, List<String> problems, String request, String answer) {
            this.operation = operation;
            this.kind = kind;
            this.status = status;
            this.problems = problems;
            this.request = request;
            this.answer = answer;
        }
    }

    @Test
    void noRequestTheDescriptionAllowsGetsAServerErrorAnUnshapedRefusalOrChangesAnything() {
        long seed = Long.getLong("keyquota.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("OpenApiFuzzTest seed " + seed + ": rerun with -Dkeyquota.fuzz.seed=" + seed);

        Api.Response description = api.get("/v3/api-docs", null);
        assertThat(description.status()).as(description.raw()).isEqualTo(200);
        List<Operation> operations = Operations.of(description.body());
        assertThat(operations).as("operations in the description").hasSizeGreaterThan(20);
        World world = createWorld();

        Map<String, Violation> violations = new LinkedHashMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        int sent = 0;
        JqwikSession.start(); // jqwik's generators, used outside a jqwik property, need a session of their own
        try {
            for (Operation operation : operations) {
                RequestGenerator requests = new RequestGenerator(world, operations,
                        new Random(seed * 31 + operation.toString().hashCode()));
                for (int i = 0; i < REQUESTS_PER_OPERATION; i++) {
                    FuzzRequest request = requests.next(operation);
                    long eventsBefore = events();
                    Answer answer = send(request);
                    long added = events() - eventsBefore;
                    sent++;
                    statuses.merge(answer.status(), 1, Integer::sum);
                    List<String> problems = problemsWith(request, answer, added);
                    if (!problems.isEmpty()) {
                        violations.merge(operation + " | " + request.kind() + " | " + answer.status(),
                                new Violation(operation.toString(), request.kind(), answer.status(), problems,
                                        describe(request), excerpt(answer.contentType() + " " + answer.body(), 400)),
                                (first, again) -> {
                                    first.seen++;
                                    return first;
                                });
                    }
                }
            }
        } finally {
            JqwikSession.finish();
            System.out.printf("OpenApiFuzzTest sent %d requests over %d operations in %d s; statuses %s%n", sent,
                    operations.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), statuses);
            awaitNoReplay();
        }

        if (!violations.isEmpty()) {
            fail(report(seed, sent, violations.values()));
        }
    }

    // --- the world the requests refer to --------------------------------------------------------------------------

    private World createWorld() {
        String home = createProject();
        String other = createProject();
        String admin = memberKey(home, "fz-admin", "TENANT_ADMIN");
        String user = memberKey(home, "fz-user", "TENANT_USER");
        String otherAdmin = memberKey(other, "fz-admin", "TENANT_ADMIN");

        List<String> victims = List.of("fz-victim-1", "fz-victim-2", "fz-victim-3", "fz-victim-4");
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < victims.size(); i++) {
            addMember(home, victims.get(i), i % 2 == 0 ? "TENANT_USER" : "TENANT_ADMIN");
            keyIds.add(createKey(home, victims.get(i)).text("keyId"));
        }
        keyIds.add(createKey(home, "fz-user").text("keyId"));
        keyIds.add(createKey(other, "fz-admin").text("keyId"));
        keyIds.add(serviceKey("victim", "VCS").text("keyId"));

        String deleted = memberKey(home, "fz-gone", "TENANT_USER");
        String deletedId = api.get("/api/v1/me", deleted).text("keyId");
        assertThat(api.delete("/api/v1/projects/" + home + "/keys/" + deletedId, OPERATOR).status()).isEqualTo(204);
        String orphaned = memberKey(home, "fz-leaver", "TENANT_USER");
        assertThat(api.delete("/api/v1/projects/" + home + "/members/fz-leaver", OPERATOR).status()).isEqualTo(204);

        for (String service : List.of("CCS", "VCS")) {
            Api.Response quota = api.put("/api/v1/projects/" + home + "/quotas/" + service, OPERATOR,
                    Api.json("quota", Map.of("cpu", 1000, "gpu", 100, "memory", 1000)));
            assertThat(quota.status()).as(quota.raw()).isEqualTo(200);
        }
        Api.Response allocation = api.post("/api/v1/projects/" + home + "/quotas/CCS/allocations", OPERATOR,
                Api.json("allocationId", "fz-alloc-0", "userId", "fz-user", "resources", Map.of("cpu", 1)));
        assertThat(allocation.status()).as(allocation.raw()).isEqualTo(201);

        List<String> requestIds = new ArrayList<>();
        for (String asker : List.of(admin, user, user)) {
            Api.Response request = api.post("/api/v1/projects/" + home + "/quota-requests", asker,
                    Api.json("service", "CCS", "resources", Map.of("gpu", 2), "reason", "fuzz"));
            assertThat(request.status()).as(request.raw()).isEqualTo(201);
            requestIds.add(request.text("requestId"));
        }

        String unknown = KeySecret.generate(new SecureRandom()).reveal();
        String stranger = KeySecret.generate(new SecureRandom()).reveal();
        char last = stranger.charAt(stranger.length() - 1);
        List<Caller> principals = List.of(
                Caller.of("OPERATOR", OPERATOR),
                Caller.of("TENANT_ADMIN", admin),
                Caller.of("TENANT_USER", user),
                Caller.of("TENANT_ADMIN of another project", otherAdmin),
                Caller.of("SERVICE CCS", serviceKey("fuzz CCS", "CCS").text("key")),
                Caller.of("SERVICE (all)", serviceKey("fuzz all", null).text("key")));
        // Malformed keys are made from secrets no one holds: a key that does not authenticate must not be one
        // the leak scan at the end looks for in the log.
        List<Caller> impostors = List.of(
                Caller.of("no key"),
                Caller.of("empty key", ""),
                Caller.of("garbage key", "garbage"),
                Caller.of("unknown key", unknown),
                Caller.of("bad checksum", stranger.substring(0, stranger.length() - 1) + (last == 'a' ? 'b' : 'a')),
                Caller.of("truncated key", stranger.substring(0, 30)),
                Caller.of("lower-cased key", stranger.toLowerCase()),
                Caller.of("Bearer prefix", "Bearer " + stranger),
                Caller.of("key in spaces", "  " + unknown + "  "),
                Caller.of("very long key", "kq_" + "a".repeat(10_000)),
                Caller.of("repeated header", unknown, "garbage"),
                Caller.of("deleted key", deleted),
                Caller.of("key of a former member", orphaned));
        return new World(home, other, principals, impostors, List.of("fz-admin", "fz-user"), victims, keyIds,
                "fz-alloc-0", requestIds, unknown);
    }

    private Api.Response serviceKey(String name, String service) {
        Api.Response created = api.post("/api/v1/service-keys", OPERATOR,
                service == null ? Api.json("name", name) : Api.json("name", name, "service", service));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created;
    }

    // --- sending and judging --------------------------------------------------------------------------------------

    private long events() {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry").query(Long.class).single();
    }

    private Answer send(FuzzRequest request) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.target()))
                    .timeout(TIMEOUT);
            for (String key : request.caller().keys()) {
                builder.header("x-api-key", key);
            }
            for (Header header : request.headers()) {
                builder.header(header.name(), header.value());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The fuzz drew a request HttpClient cannot send: " + describe(request), e);
        }
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : request.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()))
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest built = builder.method(request.method(), body).build();
        try {
            HttpResponse<byte[]> response;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                // A server that refuses a request early (a request line too long) closes the connection, and may
                // do so while the client is still sending: the answer can be lost in transit. Only a request that
                // twice gets no answer is one.
                response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            }
            String text = new String(response.body(), StandardCharsets.UTF_8);
            rememberSecrets(text);
            return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""), text);
        } catch (IOException e) {
            return new Answer(-1, "", "no answer, twice: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every secret handed out goes where the leak scan at the end looks for it, as {@link Api} does. */
    private static void rememberSecrets(String body) {
        var secrets = SECRET.matcher(body);
        while (secrets.find()) {
            if (KeySecret.parse(secrets.group()).isPresent()) {
                Api.SECRETS_SEEN.add(secrets.group());
            }
        }
    }

    private static List<String> problemsWith(FuzzRequest request, Answer answer, long eventsAdded) {
        List<String> problems = new ArrayList<>();
        int status = answer.status();
        if (status < 0) {
            problems.add(answer.body());
        } else if (status >= 500) {
            problems.add("server error " + status);
        } else if (status >= 400) {
            if (!answer.contentType().startsWith("application/problem+json")) {
                problems.add("a " + status + " as " + (answer.contentType().isEmpty() ? "no content type"
                        : answer.contentType()) + ", not application/problem+json");
            }
            if (!request.method().equals("HEAD")) {
                String code = code(answer.body());
                if (code == null) {
                    problems.add("a " + status + " without a problem body with a non-empty string code");
                }
            }
        }
        if (status >= 400 && eventsAdded != 0) {
            problems.add("the rejected request added " + eventsAdded + " event(s)");
        }
        return problems;
    }

    /** The problem's non-empty string {@code code}, or null. */
    private static String code(String body) {
        try {
            JsonNode code = JSON.readTree(body).path("code");
            return code.isString() && !code.asString().isBlank() ? code.asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Waits until no read model is being rebuilt, so that the replays the fuzz started disturb no later test. */
    private void awaitNoReplay() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Api.Response projections = api.get("/api/v1/admin/projections", OPERATOR);
            assertThat(projections.status()).as(projections.raw()).isEqualTo(200);
            assertThat(projections.body().path("projections").valueStream()
                    .filter(projection -> projection.path("replaying").asBoolean()).toList()).isEmpty();
        });
    }

    // --- the report -----------------------------------------------------------------------------------------------

    private static String describe(FuzzRequest request) {
        StringBuilder out = new StringBuilder(request.method()).append(' ').append(excerpt(request.target(), 200))
                .append(" as ").append(request.caller());
        for (Header header : request.headers()) {
            out.append("; ").append(header.name()).append(": ").append(excerpt(header.value(), 80));
        }
        if (request.body() != null) {
            out.append(request.chunked() ? "; chunked body " : "; body ")
                    .append(excerpt(new String(request.body(), StandardCharsets.UTF_8), 200));
        }
        return out.toString();
    }

    /** The start of the text, control characters escaped, and how long it was if it is cut. */
    private static String excerpt(String text, int length) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(length).forEach(c -> out.append(c < 0x20 || c == 0x7f
                ? String.format("\\u%04x", c) : Character.toString(c)));
        int total = text.codePointCount(0, text.length());
        return total > length ? out + "… (" + total + " characters)" : out.toString();
    }

    private static String report(long seed, int sent, Collection<Violation> violations) {
        List<Violation> sorted = violations.stream()
                .sorted(Comparator.comparing((Violation violation) -> -violation.status)
                        .thenComparing(violation -> violation.operation)
                        .thenComparing(violation -> violation.kind))
                .toList();
        StringBuilder out = new StringBuilder().append(violations.size()).append(" distinct violations in ")
                .append(sent).append(" requests (seed ").append(seed).append(": rerun with -Dkeyquota.fuzz.seed=")
                .append(seed).append(")\n\nBy status and kind of mutation, the number of operations:\n");
        sorted.stream().collect(Collectors.groupingBy(violation -> violation.status + " " + violation.kind,
                        TreeMap::new, Collectors.counting()))
                .forEach((kind, operations) -> out.append(String.format("%5d  %s%n", operations, kind)));
        for (int i = 0; i < sorted.size(); i++) {
            Violation violation = sorted.get(i);
            out.append(String.format("%n%3d. %d %s — %s (%d×)%n", i + 1, violation.status, violation.operation,
                    violation.kind, violation.seen));
            violation.problems.forEach(problem -> out.append("     ").append(problem).append('\n'));
            out.append("     sent:   ").append(violation.request).append('\n');
            out.append("     answer: ").append(violation.answer).append('\n');
        }
        return SECRET.matcher(out).replaceAll("kq_…");
    }
}
