package keyquota.api.console.quota;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The quota page's usage alerts over HTTP: who sees and who sets them, and a wrong list refused in place. */
class AlertPagesTest extends ApiTest {

    private String projectId;
    private String ccs;

    @BeforeEach
    void project() {
        projectId = createProject();
        ccs = "/projects/" + projectId + "/quotas/CCS";
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        return browser;
    }

    private List<Integer> thresholdsByApi() {
        return api.get("/api/v1/projects/" + projectId + "/quotas/CCS/alerts", OPERATOR).body().path("thresholds")
                .valueStream().map(JsonNode::asInt).toList();
    }

    @Test
    void aTenantUserReadsThemATenantAdminSetsThem() {
        ConsoleClient bob = signedIn(memberKey(projectId, "bob", "TENANT_USER"));
        String page = bob.get(ccs).body();
        assertThat(page).contains("<h2 id=\"alerts-title\">Usage alerts</h2>").contains("Alerts at 80%, 100% of quota.")
                .doesNotContain("id=\"alerts-form\"");
        assertThat(bob.post(ccs + "/alerts", Map.of("thresholds", "50")).status()).isEqualTo(403);

        ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        assertThat(admin.get(ccs).body()).contains("id=\"alerts-form\"").contains("value=\"80, 100\"");
        ConsoleClient.Page saved = admin.post(ccs + "/alerts", Map.of("thresholds", "90%, 50 75"));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).startsWith("<section id=\"alerts\"").contains("value=\"50, 75, 90\"")
                .contains("Alert thresholds saved.");
        assertThat(thresholdsByApi()).containsExactly(50, 75, 90);
        assertThat(bob.get(ccs).body()).contains("Alerts at 50%, 75%, 90% of quota.");
        assertThat(signedIn(OPERATOR).htmx(ccs + "/alerts").body()).contains("value=\"50, 75, 90\"");
    }

    @Test
    void aWrongListIsRefusedNextToTheFieldAndChangesNothing() {
        ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        for (String wrong : List.of("", "eighty", "0", "101", "80, 80", "10 20 30 40 50 60", "80.5")) {
            ConsoleClient.Page refused = admin.post(ccs + "/alerts", Map.of("thresholds", wrong));
            assertThat(refused.status()).as(wrong).isEqualTo(422);
            assertThat(refused.body()).as(wrong).contains("id=\"thresholds-error\"")
                    .contains("aria-invalid=\"true\"");
        }
        assertThat(thresholdsByApi()).containsExactly(80, 100);
        assertThat(admin.language("zh-TW").post(ccs + "/alerts", Map.of("thresholds", "0")).body())
                .contains("請輸入 1 至 5 個不重複的整數百分比");
    }

    @Test
    void thePastHasNoAlertsSection() {
        String now = clock.instant().atZone(ZoneOffset.UTC).toLocalDateTime().toString();
        String page = signedIn(OPERATOR).get(ccs + "?asOf=" + now + "&zone=UTC").body();
        assertThat(page).contains("id=\"as-of-notice\"").doesNotContain("id=\"alerts\"");
    }
}
