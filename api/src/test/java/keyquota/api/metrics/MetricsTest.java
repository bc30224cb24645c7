package keyquota.api.metrics;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.AuditFaultInjector;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /actuator/prometheus: each of keyquota's metrics moves when its cause happens, Boot's own are there, the operator
 * key reads them (in the form docker/prometheus.yml sends it) and no other key does.
 */
class MetricsTest extends ApiTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What Prometheus 3 asks for: Boot answers OpenMetrics, the format it prefers. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;"
            + "q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;"
            + "escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String header, String value) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (header != null) {
            request.header(header, value);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String scrape() {
        HttpResponse<String> response = get("/actuator/prometheus", "x-api-key", OPERATOR);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** The sum of the samples of this name whose labels include these (NaN when there is none). */
    private static double value(String scraped, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scraped.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> present = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                present.put(label.group(1), label.group(2));
            }
            if (present.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(sample.group(3));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    private double value(String name, Map<String, String> labels) {
        return value(scrape(), name, labels);
    }

    /** Where nothing was counted yet, the counter starts from 0. */
    private double count(String name, Map<String, String> labels) {
        double value = value(name, labels);
        return Double.isNaN(value) ? 0 : value;
    }

    @Test
    void aVerifyWithAnUnknownKeyMovesTheNotFoundCounterAndAValidOneTheValidCounter() {
        String project = createProject();
        String member = memberKey(project, "alice", "TENANT_USER");
        Map<String, String> notFound = Map.of("result", "NOT_FOUND");
        Map<String, String> valid = Map.of("result", "VALID");
        double notFoundBefore = count("keyquota_verifications_total", notFound);
        double validBefore = count("keyquota_verifications_total", valid);

        Api.Response unknown = api.post("/api/v1/keys/verify", OPERATOR,
                Api.json("key", KeySecret.generate(new SecureRandom()).reveal()));
        assertThat(unknown.status()).as(unknown.raw()).isEqualTo(200);
        assertThat(unknown.text("code")).isEqualTo("NOT_FOUND");
        Api.Response known = api.post("/api/v1/keys/verify", OPERATOR, Api.json("key", member));
        assertThat(known.text("code")).as(known.raw()).isEqualTo("VALID");

        assertThat(count("keyquota_verifications_total", notFound)).isEqualTo(notFoundBefore + 1);
        assertThat(count("keyquota_verifications_total", valid)).isEqualTo(validBefore + 1);
    }

    @Test
    void authenticationsAreCountedByResult() {
        Map<String, String> malformed = Map.of("result", "MALFORMED");
        double before = count("keyquota_authentications_total", malformed);
        assertThat(api.get("/api/v1/me", "not a key").status()).isEqualTo(401);
        assertThat(count("keyquota_authentications_total", malformed)).isEqualTo(before + 1);

        // every scrape authenticates the operator key: the VALID count moves with each
        double valid = count("keyquota_authentications_total", Map.of("result", "VALID"));
        assertThat(count("keyquota_authentications_total", Map.of("result", "VALID"))).isGreaterThan(valid);
    }

    @Test
    void aRefusedAllocationMovesTheQuotaRejectionCounterWithItsScopeAndResource() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Map<String, String> projectCpu = Map.of("service", "CCS", "scope", "PROJECT", "resource", "cpu");
        Map<String, String> memberGpu = Map.of("service", "CCS", "scope", "MEMBER", "resource", "gpu");
        double projectBefore = count("keyquota_quota_rejections_total", projectCpu);
        double memberBefore = count("keyquota_quota_rejections_total", memberGpu);
        Map<String, String> rejected = Map.of("command", "AllocateUsage", "outcome", "REJECTED");
        double rejectedBefore = count("keyquota_commands_seconds_count", rejected);

        // no project quota yet: the project has no room
        assertThat(allocate(project, "a1", Map.of("cpu", 1)).code()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(api.put("/api/v1/projects/" + project + "/quotas/CCS", OPERATOR,
                Api.json("quota", Map.of("cpu", 8, "gpu", 4))).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/projects/" + project + "/quotas/CCS/members/bob", OPERATOR,
                Api.json("quota", Map.of("gpu", 1))).status()).isEqualTo(200);
        assertThat(allocate(project, "a2", Map.of("gpu", 2)).code()).isEqualTo("QUOTA_EXCEEDED");

        String scraped = scrape();
        assertThat(value(scraped, "keyquota_quota_rejections_total", projectCpu)).isEqualTo(projectBefore + 1);
        assertThat(value(scraped, "keyquota_quota_rejections_total", memberGpu)).isEqualTo(memberBefore + 1);
        assertThat(value(scraped, "keyquota_commands_seconds_count", rejected)).isEqualTo(rejectedBefore + 2);
    }

    private Api.Response allocate(String project, String allocationId, Map<String, Integer> resources) {
        Api.Response response = api.post("/api/v1/projects/" + project + "/quotas/CCS/allocations", OPERATOR,
                Api.json("allocationId", allocationId, "userId", "bob", "resources", resources));
        assertThat(response.status()).as(response.raw()).isEqualTo(409);
        return response;
    }

    @Test
    void aCommandMovesTheCommandTimerOfItsTypeAndOutcome() {
        Map<String, String> created = Map.of("command", "CreateProject", "outcome", "SUCCESS");
        double before = count("keyquota_commands_seconds_count", created);
        double secondsBefore = count("keyquota_commands_seconds_sum", created);
        createProject();

        String scraped = scrape();
        assertThat(value(scraped, "keyquota_commands_seconds_count", created)).isEqualTo(before + 1);
        assertThat(value(scraped, "keyquota_commands_seconds_sum", created)).isGreaterThan(secondsBefore);
        assertThat(value(scraped, "keyquota_commands_seconds_bucket",
                Map.of("command", "CreateProject", "outcome", "SUCCESS", "le", "+Inf"))).isEqualTo(before + 1);
        // the REJECTED outcome is checked with refused allocations, below
    }

    /** Without a sample before the first count, Prometheus's rate() and increase() would never show that count. */
    @Test
    void everySeriesThatCanBeKnownIsThereBeforeItsFirstCount() {
        String scraped = scrape();
        for (String command : List.of("CreateProject", "CreateKey", "AllocateUsage", "ReconcileAllocations",
                "ApproveQuotaRequest", "CreateWebhook", "ConfigureOperatorKey")) {
            for (String outcome : List.of("SUCCESS", "REJECTED", "FAILED")) {
                assertThat(value(scraped, "keyquota_commands_seconds_count",
                        Map.of("command", command, "outcome", outcome))).as(command + " " + outcome)
                        .isGreaterThanOrEqualTo(0);
            }
        }
        for (String resource : List.of("cpu", "gpu", "memory", "floating_ip")) {
            for (String scope : List.of("MEMBER", "PROJECT")) {
                assertThat(value(scraped, "keyquota_quota_rejections_total",
                        Map.of("service", "VCS", "scope", scope, "resource", resource)))
                        .as("VCS " + scope + " " + resource).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aDeadLetterMovesTheGaugeUntilItIsRetried() {
        Map<String, String> audit = Map.of("processor", "audit");
        double before = value("keyquota_dead_letters", audit);
        String poisoned = "MDL-" + UUID.randomUUID().toString().substring(0, 8);
        AuditFaultInjector.poison(poisoned);
        try {
            assertThat(api.post("/api/v1/projects", OPERATOR, Api.json("projectId", poisoned, "name", "Poisoned"))
                    .status()).isEqualTo(201);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(value("keyquota_dead_letters", audit)).isEqualTo(before + 1));
        } finally {
            AuditFaultInjector.heal();
            assertThat(api.post("/api/v1/admin/dead-letters/retry", OPERATOR, "{}").status()).isEqualTo(200);
        }
        assertThat(value("keyquota_dead_letters", audit)).isEqualTo(before);
    }

    @Test
    void eachStreamingProcessorReportsItsLagInEventsAndSeconds() {
        String scraped = scrape();
        for (String processor : List.of("audit", "notifications")) {
            assertThat(value(scraped, "keyquota_processor_lag_events", Map.of("processor", processor)))
                    .as(processor).isNotNaN();
            assertThat(value(scraped, "keyquota_processor_lag_seconds", Map.of("processor", processor)))
                    .as(processor).isNotNaN();
        }

        // the audit processor held up on one event: it lags, by more and more time, until it gets past
        Map<String, String> audit = Map.of("processor", "audit");
        String stuck = "LAG-" + UUID.randomUUID().toString().substring(0, 8);
        AuditFaultInjector.loseTheDatabaseFor(stuck, Integer.MAX_VALUE);
        try {
            assertThat(api.post("/api/v1/projects", OPERATOR, Api.json("projectId", stuck, "name", "Stuck"))
                    .status()).isEqualTo(201);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(value("keyquota_processor_lag_events", audit)).isGreaterThanOrEqualTo(1));
            clock.advance(Duration.ofMinutes(2));
            assertThat(value("keyquota_processor_lag_seconds", audit)).isGreaterThanOrEqualTo(120);
        } finally {
            AuditFaultInjector.loseTheDatabaseFor(null, 0);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            String now = scrape();
            assertThat(value(now, "keyquota_processor_lag_events", audit)).isZero();
            assertThat(value(now, "keyquota_processor_lag_seconds", audit)).isZero();
        });
    }

    @Test
    void activeKeysAreCountedByType() {
        Map<String, String> members = Map.of("type", "MEMBER");
        double before = value("keyquota_keys_active", members);
        String project = createProject();
        memberKey(project, "carol", "TENANT_USER");
        String scraped = scrape();
        assertThat(value(scraped, "keyquota_keys_active", members)).isEqualTo(before + 1);
        assertThat(value(scraped, "keyquota_keys_active", Map.of("type", "OPERATOR"))).isEqualTo(1);
    }

    @Test
    void bootsOwnMetricsAreThere() {
        String scraped = scrape();
        assertThat(value(scraped, "http_server_requests_seconds_count", Map.of())).isPositive();
        assertThat(value(scraped, "jvm_memory_used_bytes", Map.of())).isPositive();
        assertThat(value(scraped, "hikaricp_connections_max", Map.of())).isPositive();
    }

    @Test
    void noTagNamesAKeyAUserOrAProject() {
        String project = createProject();
        memberKey(project, "dave", "TENANT_USER");
        String scraped = scrape();
        assertThat(scraped).doesNotContain(project).doesNotContain("dave").doesNotContain(OPERATOR);
    }

    @Test
    void aMemberKeyOrNoKeyCannotReadMetrics() {
        String member = memberKey(createProject(), "erin", "TENANT_ADMIN");
        assertThat(get("/actuator/prometheus", "x-api-key", member).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/prometheus", "Authorization", "Bearer " + member).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "Authorization", "Bearer kq_nonsense").statusCode()).isEqualTo(401);
        // health stays open for probes and load balancers
        assertThat(get("/actuator/health", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
    }

    /**
     * docker/grafana/keyquota.json: on the data source its variable picks, it shows every keyquota metric and asks
     * only for metrics the service serves.
     */
    @Test
    void theDashboardShowsEveryKeyquotaMetricAndOnlyServedOnes() throws IOException {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        allocate(project, "a1", Map.of("cpu", 1));
        String scraped = scrape();
        String json = Files.readString(Path.of("../docker/grafana/keyquota.json"));
        JsonNode dashboard = JsonMapper.builder().build().readTree(json);

        assertThat(dashboard.path("templating").path("list").valueStream()
                .filter(variable -> variable.path("name").asString().equals("datasource")))
                .singleElement().satisfies(variable -> {
                    assertThat(variable.path("type").asString()).isEqualTo("datasource");
                    assertThat(variable.path("query").asString()).isEqualTo("prometheus");
                });
        Pattern metric = Pattern.compile("([a-z][a-z0-9_]*)\\{");
        List<JsonNode> panels = dashboard.path("panels").valueStream()
                .filter(panel -> !panel.path("type").asString().equals("row")).toList();
        assertThat(panels).isNotEmpty();
        int queried = 0;
        for (JsonNode panel : panels) {
            assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
                    .isEqualTo("${datasource}");
            for (JsonNode target : panel.path("targets")) {
                Matcher names = metric.matcher(target.path("expr").asString());
                while (names.find()) {
                    queried++;
                    assertThat(scraped).as(panel.path("title").asString()).contains("\n" + names.group(1) + "{");
                }
            }
        }
        assertThat(queried).as("metrics asked for").isGreaterThan(panels.size());
        Matcher families = Pattern.compile("(?m)^# TYPE (keyquota_[a-z_]+) ").matcher(scraped);
        while (families.find()) {
            assertThat(json).as("a panel for " + families.group(1)).contains(families.group(1));
        }
    }

    /** The scrape of docker/prometheus.yml: its path, a bearer token read from its file, Prometheus's Accept. */
    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedScrapeConfigReadsTheMetrics() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(Path.of("../docker/prometheus.yml")));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).get(0);
        Map<String, Object> authorization = (Map<String, Object>) job.get("authorization");
        assertThat(authorization).containsEntry("type", "Bearer").containsKey("credentials_file");

        // Prometheus trims the file's trailing newline, as a key written by an editor would have
        String credentials = (OPERATOR + "\n").strip();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + job.get("metrics_path")))
                .header("Authorization", authorization.get("type") + " " + credentials)
                .header("Accept", PROMETHEUS_ACCEPT)
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(response.body()).contains("keyquota_verifications_total{", "keyquota_keys_active{",
                "keyquota_processor_lag_events{", "keyquota_dead_letters{").endsWith("# EOF\n");
    }
}
