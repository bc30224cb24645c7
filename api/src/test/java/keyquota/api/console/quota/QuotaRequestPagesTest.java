package keyquota.api.console.quota;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quota request screen ("配額申請") over HTTP: members ask and follow their requests, tenant admins and the
 * operator decide, each with the API's rules, checked against the API.
 */
class QuotaRequestPagesTest extends ApiTest {

    private String projectId;
    private String page;

    /** A project with CCS quota gpu 4, a tenant admin alice and a tenant user bob. */
    @BeforeEach
    void project() {
        projectId = createProject();
        page = "/projects/" + projectId + "/quota-requests";
        Api.Response quota = api.put("/api/v1/projects/" + projectId + "/quotas/CCS", OPERATOR,
                Api.json("quota", Map.of("gpu", 4)));
        assertThat(quota.status()).as(quota.raw()).isEqualTo(200);
        addMember(projectId, "alice", "TENANT_ADMIN");
        addMember(projectId, "bob", "TENANT_USER");
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        return browser;
    }

    private JsonNode onlyRequest() {
        Api.Response list = api.get("/api/v1/projects/" + projectId + "/quota-requests", OPERATOR);
        assertThat(list.body().path("requests").size()).as(list.raw()).isEqualTo(1);
        return list.body().path("requests").get(0);
    }

    @Test
    void aMemberAsksAndFollowsTheirRequest() {
        ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
        ConsoleClient.Page list = bob.get(page);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("<h1>Quota requests</h1>").contains("No quota requests.")
                .contains("id=\"ask-quota\"");
        assertThat(bob.htmx(page + "/new").body()).contains("id=\"ask-dialog\"").contains("name=\"reason\"")
                .doesNotContain("name=\"userId\"");

        ConsoleClient.Page asked = bob.post(page, Map.of("service", "CCS", "gpu", "2", "reason", "training"));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.header("HX-Trigger")).isEqualTo("quota-requests-changed");
        assertThat(asked.body()).contains("Asked for a CCS quota for bob.");
        JsonNode request = onlyRequest();
        assertThat(request.path("status").asString()).isEqualTo("PENDING");
        assertThat(request.path("resources").path("gpu").asLong()).isEqualTo(2);

        String table = bob.htmx(page, "quota-requests-table").body();
        assertThat(table).startsWith("<div id=\"quota-requests-table\"").contains("Pending")
                .contains("data-request-id=\"" + request.path("requestId").asString() + "\"")
                .contains("training").contains("Cancel request").doesNotContain("class=\"decide\"");

        ConsoleClient.Page cancelled = bob.post(page + "/" + request.path("requestId").asString() + "/cancel",
                Map.of());
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(onlyRequest().path("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void formErrorsAreNextToTheirFieldWith422AndChangeNothing() {
        ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
        ConsoleClient.Page missing = bob.post(page, Map.of("service", "CCS", "gpu", "x", "reason", ""));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("id=\"gpu-error\"").contains("Enter a whole number.")
                .contains("id=\"reason-error\"");
        ConsoleClient.Page nothing = bob.post(page, Map.of("service", "CCS", "reason", "why"));
        assertThat(nothing.status()).isEqualTo(422);
        assertThat(nothing.body()).contains("Ask for at least one resource.");
        ConsoleClient.Page negative = bob.post(page, Map.of("service", "CCS", "gpu", "-5", "reason", "why"));
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.body()).contains("id=\"gpu-error\"");
        ConsoleClient admin = signedIn(keyFor(projectId, "alice"));
        ConsoleClient.Page nobody = admin.post(page, Map.of("service", "CCS", "gpu", "1", "reason", "why",
                "userId", "nobody"));
        assertThat(nobody.status()).isEqualTo(422);
        assertThat(nobody.body()).contains("id=\"userId-error\"");
        assertThat(api.get("/api/v1/projects/" + projectId + "/quota-requests", OPERATOR).body()
                .path("requests").size()).isZero();
    }

    @Test
    void aTenantAdminDecidesForwardsBeyondTheProjectAndTheOperatorApproves() {
        ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
        assertThat(bob.post(page, Map.of("service", "CCS", "gpu", "8", "reason", "big run")).status())
                .isEqualTo(200);
        String requestId = onlyRequest().path("requestId").asString();
        String decide = page + "/" + requestId;
        assertThat(bob.htmx(decide + "/decide").status()).isEqualTo(200);
        assertThat(bob.post(decide + "/approve", Map.of()).status()).isEqualTo(403);

        ConsoleClient alice = signedIn(keyFor(projectId, "alice"));
        assertThat(alice.get(page).body()).contains("class=\"decide\"");
        assertThat(alice.htmx(decide + "/decide").body()).contains("id=\"decide-dialog\"").contains("id=\"forward\"");
        ConsoleClient.Page beyond = alice.post(decide + "/approve", Map.of());
        assertThat(beyond.status()).isEqualTo(422);
        assertThat(beyond.body()).contains("A member quota cannot exceed the project quota.");
        ConsoleClient.Page noReason = alice.post(decide + "/reject", Map.of("reason", ""));
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.body()).contains("id=\"reason-error\"");
        assertThat(onlyRequest().path("status").asString()).isEqualTo("PENDING");

        assertThat(alice.post(decide + "/forward", Map.of("reason", "beyond our quota")).status()).isEqualTo(200);
        assertThat(onlyRequest().path("status").asString()).isEqualTo("FORWARDED");
        ConsoleClient.Page forbidden = alice.post(decide + "/approve", Map.of());
        assertThat(forbidden.status()).isEqualTo(422);
        assertThat(forbidden.body()).contains("You may not do this.");

        ConsoleClient operator = signedIn(OPERATOR);
        assertThat(operator.get(page).body()).contains("Forwarded to the operator").contains("beyond our quota");
        ConsoleClient.Page approved = operator.post(decide + "/approve", Map.of());
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body()).contains("Approved the CCS quota request of bob");
        assertThat(onlyRequest().path("status").asString()).isEqualTo("APPROVED");
        ConsoleClient.Page again = operator.post(decide + "/reject", Map.of("reason", "no"));
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.body()).contains("The request has already been decided or cancelled.");
    }

    @Test
    void theScreenSpeaksTwccsWordsInTraditionalChinese() {
        ConsoleClient bob = signedIn(keyFor(projectId, "bob")).language("zh-TW");
        assertThat(bob.get(page).body()).contains("<h1>配額申請</h1>").contains("申請配額").contains("尚無配額申請。");
        assertThat(bob.get("/projects/" + projectId + "/quotas").body()).contains("配額申請");
    }

    @Test
    void eachStepReadsInTheAuditLogAndTheNotifications() {
        ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
        assertThat(bob.post(page, Map.of("service", "CCS", "gpu", "2", "reason", "training")).status())
                .isEqualTo(200);
        String requestId = onlyRequest().path("requestId").asString();
        ConsoleClient alice = signedIn(keyFor(projectId, "alice"));
        assertThat(alice.post(page + "/" + requestId + "/reject", Map.of("reason", "not now")).status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                alice.get("/projects/" + projectId + "/audit").body()).contains("Quota requested")
                .contains("Quota request rejected").contains("CCS quota of bob: gpu 2").contains("Reason: not now"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bob.get("/notifications").body())
                .contains("bob asked for a CCS quota of gpu 2 for bob.")
                .contains("The CCS quota request for bob was rejected."));
        assertThat(bob.language("zh-TW").get("/notifications").body()).contains("bob 的 CCS 配額申請已駁回。");
    }
}
