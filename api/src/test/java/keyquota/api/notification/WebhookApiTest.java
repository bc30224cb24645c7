package keyquota.api.notification;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.AuditPages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook endpoints with the default settings: who manages which webhook, the secret shown once, and the
 * targets refused. The targets here are public addresses that no notification of these tests is sent to.
 */
class WebhookApiTest extends ApiTest {

    private static final String WEBHOOKS = "/api/v1/webhooks";
    private static final String PUBLIC_TARGET = "https://203.0.113.10/hooks/keyquota";
    private static final List<String> ALL_TYPES =
            List.of("KEY_EXPIRING", "KEY_EXPIRED", "KEY_DELETED", "USAGE_THRESHOLD", "QUOTA_REQUEST");

    private String projectId;
    private String admin;

    @BeforeEach
    void project() {
        projectId = createProject();
        admin = memberKey(projectId, "alice", "TENANT_ADMIN");
    }

    private Api.Response create(String key, Object... fields) {
        return api.post(WEBHOOKS, key, Api.json(fields));
    }

    private List<JsonNode> listed(String key) {
        Api.Response list = api.get(WEBHOOKS, key);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("webhooks").valueStream().toList();
    }

    private static List<String> ids(List<JsonNode> webhooks) {
        return webhooks.stream().map(w -> w.path("webhookId").asString()).toList();
    }

    @Test
    void theOperatorMakesOneForAProjectAndItsSecretIsShownOnce() {
        Api.Response created = create(OPERATOR, "url", PUBLIC_TARGET, "projectId", projectId);

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("webhookId")).isNotBlank();
        assertThat(created.text("url")).isEqualTo(PUBLIC_TARGET);
        assertThat(created.text("projectId")).isEqualTo(projectId);
        assertThat(created.body().path("types").valueStream().map(JsonNode::asString)).containsExactlyElementsOf(
                ALL_TYPES);
        assertThat(created.text("createdAt")).isNotBlank();
        assertThat(created.text("secret")).startsWith("whsec_").hasSizeGreaterThan(40);

        for (String reader : List.of(OPERATOR, admin)) {
            Api.Response list = api.get(WEBHOOKS, reader);
            assertThat(list.raw()).doesNotContain(created.text("secret")).doesNotContain("\"secret\"");
            assertThat(ids(listed(reader))).contains(created.text("webhookId"));
        }
    }

    @Test
    void aTenantAdminMakesOneForTheirOwnProjectOfTheTypesTheyName() {
        Api.Response created = create(admin, "url", PUBLIC_TARGET, "types", List.of("KEY_DELETED", "KEY_DELETED"));

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("projectId")).isEqualTo(projectId);
        assertThat(created.body().path("types").valueStream().map(JsonNode::asString)).containsExactly(
                "KEY_DELETED");
        assertThat(ids(listed(admin))).containsExactly(created.text("webhookId"));
        Api.Response same = create(admin, "url", PUBLIC_TARGET, "projectId", projectId);
        assertThat(same.status()).as(same.raw()).isEqualTo(201);
    }

    @Test
    void onlyTheOperatorMakesOneForEveryProjectAndOthersDoNotSeeIt() {
        Api.Response all = create(OPERATOR, "url", PUBLIC_TARGET, "types", List.of("QUOTA_REQUEST"));
        try {
            assertThat(all.status()).as(all.raw()).isEqualTo(201);
            assertThat(all.body().has("projectId")).isFalse();
            assertThat(ids(listed(OPERATOR))).contains(all.text("webhookId"));
            assertThat(ids(listed(admin))).doesNotContain(all.text("webhookId"));
            assertProblem(api.get(WEBHOOKS + "/" + all.text("webhookId") + "/deliveries", admin), 404, "NOT_FOUND");
            assertProblem(api.delete(WEBHOOKS + "/" + all.text("webhookId"), admin), 404, "NOT_FOUND");
        } finally {
            assertThat(api.delete(WEBHOOKS + "/" + all.text("webhookId"), OPERATOR).status()).isEqualTo(204);
        }
    }

    @Test
    void nobodyElseManagesWebhooks() {
        String bob = memberKey(projectId, "bob", "TENANT_USER");
        Api.Response service = api.post("/api/v1/service-keys", OPERATOR,
                Api.json("name", "svc-" + UUID.randomUUID(), "service", "CCS"));
        Api.Response webhook = create(admin, "url", PUBLIC_TARGET);
        for (String caller : List.of(bob, service.text("key"))) {
            assertProblem(create(caller, "url", PUBLIC_TARGET), 403, "FORBIDDEN");
            assertProblem(api.get(WEBHOOKS, caller), 403, "FORBIDDEN");
            assertProblem(api.delete(WEBHOOKS + "/" + webhook.text("webhookId"), caller), 403, "FORBIDDEN");
            assertProblem(api.get(WEBHOOKS + "/" + webhook.text("webhookId") + "/deliveries", caller), 403,
                    "FORBIDDEN");
        }
        assertProblem(api.get(WEBHOOKS, null), 401, "UNAUTHENTICATED");
    }

    @Test
    void anotherProjectIsNotFound() {
        String other = createProject();
        String eve = memberKey(other, "eve", "TENANT_ADMIN");
        Api.Response mine = create(admin, "url", PUBLIC_TARGET);

        assertProblem(create(admin, "url", PUBLIC_TARGET, "projectId", other), 404, "PROJECT_NOT_FOUND");
        assertProblem(create(OPERATOR, "url", PUBLIC_TARGET, "projectId", "no-such-project"), 404,
                "PROJECT_NOT_FOUND");
        assertThat(ids(listed(eve))).doesNotContain(mine.text("webhookId"));
        assertProblem(api.get(WEBHOOKS + "/" + mine.text("webhookId") + "/deliveries", eve), 404, "NOT_FOUND");
        assertProblem(api.delete(WEBHOOKS + "/" + mine.text("webhookId"), eve), 404, "NOT_FOUND");
        assertThat(ids(listed(admin))).contains(mine.text("webhookId"));
    }

    @Test
    void aDeletedWebhookIsGone() {
        Api.Response webhook = create(admin, "url", PUBLIC_TARGET);
        String path = WEBHOOKS + "/" + webhook.text("webhookId");
        Api.Response deliveries = api.get(path + "/deliveries", admin);
        assertThat(deliveries.status()).as(deliveries.raw()).isEqualTo(200);
        assertThat(deliveries.body().path("deliveries").isArray()).isTrue();
        assertThat(deliveries.body().path("deliveries")).isEmpty();

        assertThat(api.delete(path, admin).status()).isEqualTo(204);

        assertThat(ids(listed(admin))).doesNotContain(webhook.text("webhookId"));
        assertProblem(api.delete(path, admin), 404, "NOT_FOUND");
        assertProblem(api.get(path + "/deliveries", OPERATOR), 404, "NOT_FOUND");
        assertProblem(api.get(WEBHOOKS + "/" + UUID.randomUUID() + "/deliveries", OPERATOR), 404, "NOT_FOUND");
        assertProblem(api.delete(WEBHOOKS + "/not-a-uuid", OPERATOR), 404, "NOT_FOUND");
    }

    @Test
    void makingAndDeletingAWebhookAreAuditedWithoutItsSecret() {
        Api.Response webhook = create(admin, "url", PUBLIC_TARGET, "types", List.of("KEY_DELETED"));
        String webhookId = webhook.text("webhookId");
        assertThat(api.delete(WEBHOOKS + "/" + webhookId, admin).status()).isEqualTo(204);

        List<JsonNode> entries = AuditPages.all("projectId=" + projectId, path -> api.get(path, admin)).stream()
                .filter(entry -> entry.path("subject").asString().equals("webhook/" + webhookId)).toList();
        assertThat(entries).extracting(entry -> entry.path("type").asString())
                .containsExactly("WebhookCreated", "WebhookDeleted");
        JsonNode created = entries.get(0);
        assertThat(created.path("actor").path("userId").asString()).isEqualTo("alice");
        assertThat(created.path("details").path("url").asString()).isEqualTo(PUBLIC_TARGET);
        assertThat(created.path("details").path("types").valueStream().map(JsonNode::asString))
                .containsExactly("KEY_DELETED");
        assertThat(entries.toString()).doesNotContain(webhook.text("secret"));
    }

    @Test
    void aRequestTheRulesRefuseChangesNothing() {
        assertValidationFailed(create(admin), "url");
        assertValidationFailed(create(admin, "url", "not a url"), "url");
        assertValidationFailed(create(admin, "url", "ftp://203.0.113.10/"), "url");
        assertValidationFailed(create(admin, "url", "https:///path-only"), "url");
        assertValidationFailed(create(admin, "url", "https://user:password@203.0.113.10/"), "url");
        assertValidationFailed(create(admin, "url", "https://203.0.113.10/" + "x".repeat(2048)), "url");
        assertValidationFailed(create(admin, "url", PUBLIC_TARGET, "types", List.of()), "types");
        assertValidationFailed(create(admin, "url", PUBLIC_TARGET, "types", List.of("NOPE")), "types");
        assertValidationFailed(create(admin, "url", PUBLIC_TARGET, "secret", "mine"));
        assertThat(listed(admin)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://10.0.0.1/", "http://[::1]/", "http://169.254.1.1/",
            "https://localhost/", "http://203.0.113.10/"})
    void plainHttpAndPrivateTargetsAreRefusedByDefault(String url) {
        assertValidationFailed(create(admin, "url", url), "url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/", "https://127.1.2.3/", "https://[::1]/", "https://0.0.0.0/",
            "https://[::]/", "https://10.0.0.1/", "https://172.16.0.1/", "https://172.31.255.255/",
            "https://192.168.1.1/", "https://[fc00::1]/", "https://[fd12:3456::1]/", "https://169.254.169.254/",
            "https://[fe80::1]/", "https://100.64.0.1/", "https://100.127.255.255/", "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:10.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://localhost:8443/"})
    void targetsOnLoopbackPrivateLinkLocalOrSharedAddressesAreRefused(String url) {
        Api.Response refused = create(admin, "url", url);
        assertValidationFailed(refused, "url");
        assertThat(refused.raw()).contains("address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://172.32.0.1/", "https://100.128.0.1/", "https://[2001:db8::1]/",
            "https://192.0.2.1:8443/hook?x=1"})
    void addressesNextToTheRefusedOnesAreTaken(String url) {
        assertThat(create(admin, "url", url).status()).isEqualTo(201);
    }
}
