package keyquota.api.quota;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.AuditPages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.setMemberQuota;
import static keyquota.api.quota.Quotas.setProjectQuota;
import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Usage alerts: the thresholds per project and service, and the USAGE_THRESHOLD notifications that usage
 * crossing them upward makes, once per crossing, for the project's quota and a member's.
 */
class UsageAlertApiTest extends ApiTest {

    private static final Duration NOTIFIED_WITHIN = Duration.ofSeconds(15);

    private String projectId;
    private String admin;
    private String bob;
    private String ccsService;

    @BeforeEach
    void project() {
        projectId = createProject();
        admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        bob = memberKey(projectId, "bob", "TENANT_USER");
        ccsService = Quotas.serviceKey(api, OPERATOR, "CCS");
        assertThat(setProjectQuota(api, OPERATOR, projectId, "CCS", ccs(10, 4, 100)).status()).isEqualTo(200);
    }

    private String alerts(String service) {
        return Quotas.path(projectId, service) + "/alerts";
    }

    private static List<Integer> thresholds(Api.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().path("thresholds").valueStream().map(JsonNode::asInt).toList();
    }

    private Api.Response allocateFor(String userId, String allocationId, Map<String, ?> resources) {
        Api.Response allocated = allocate(api, ccsService, projectId, "CCS", allocationId, userId, resources);
        assertThat(allocated.status()).as(allocated.raw()).isEqualTo(201);
        return allocated;
    }

    /** The project's USAGE_THRESHOLD notifications as its tenant admin sees them, oldest first. */
    private List<JsonNode> alertsSeenBy(String key) {
        Api.Response list = api.get("/api/v1/notifications?type=USAGE_THRESHOLD&limit=200", key);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        List<JsonNode> newestFirst = new ArrayList<>(list.body().path("notifications").valueStream()
                .filter(n -> projectId.equals(n.path("projectId").asString(null)))
                .toList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * Waits until the notification processor has passed every event before now: it handles events in order, so
     * once a key deleted now is notified, every earlier allocation has been weighed too.
     */
    private void awaitNotificationsCaughtUp() {
        String keyId = createKey(projectId, "bob").text("keyId");
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + keyId, admin).status()).isEqualTo(204);
        await().atMost(NOTIFIED_WITHIN).until(() -> api.get("/api/v1/notifications?type=KEY_DELETED&limit=200", bob)
                .body().path("notifications").valueStream()
                .anyMatch(n -> keyId.equals(n.path("keyId").asString(null))));
    }

    @Test
    void theDefaultsAre80And100AndEveryMemberMayReadThem() {
        for (String reader : List.of(OPERATOR, admin, bob)) {
            assertThat(thresholds(api.get(alerts("CCS"), reader))).containsExactly(80, 100);
            assertThat(thresholds(api.get(alerts("VCS"), reader))).containsExactly(80, 100);
        }
    }

    @Test
    void tenantAdminsAndTheOperatorSetThemInAscendingOrder() {
        assertThat(thresholds(api.put(alerts("CCS"), admin, Api.json("thresholds", List.of(90, 50))))).containsExactly(50, 90);
        assertThat(thresholds(api.get(alerts("CCS"), bob))).containsExactly(50, 90);
        assertThat(thresholds(api.get(alerts("VCS"), bob))).as("per service").containsExactly(80, 100);
        assertThat(thresholds(api.put(alerts("VCS"), OPERATOR, Api.json("thresholds", List.of(100))))).containsExactly(100);
        assertThat(thresholds(api.put(alerts("VCS"), OPERATOR, Api.json("thresholds", List.of(100))))).containsExactly(100);

        List<JsonNode> audited = AuditPages.all("projectId=" + projectId + "&type=AlertThresholdsSet",
                path -> api.get(path, admin));
        assertThat(audited).hasSize(2);
        assertThat(audited.get(0).path("details").path("newThresholds").valueStream().map(JsonNode::asInt))
                .containsExactly(50, 90);
        assertThat(audited.get(0).path("actor").path("userId").asString()).isEqualTo("alice");
    }

    @Test
    void othersMayNotSetThemAndWrongThresholdsChangeNothing() {
        String other = createProject();
        String eve = memberKey(other, "eve", "TENANT_ADMIN");
        assertProblem(api.put(alerts("CCS"), bob, Api.json("thresholds", List.of(50))), 403, "FORBIDDEN");
        assertProblem(api.put(alerts("CCS"), eve, Api.json("thresholds", List.of(50))), 404, "PROJECT_NOT_FOUND");
        assertProblem(api.get(alerts("CCS"), eve), 404, "PROJECT_NOT_FOUND");
        assertProblem(api.get(alerts("CCS"), ccsService), 403, "FORBIDDEN");
        assertProblem(api.put(alerts("CCS"), ccsService, Api.json("thresholds", List.of(50))), 403, "FORBIDDEN");
        assertProblem(api.get(alerts("CCS"), null), 401, "UNAUTHENTICATED");
        assertProblem(api.get(alerts("HPC"), admin), 404, "SERVICE_NOT_FOUND");
        assertProblem(api.put(alerts("HPC"), admin, Api.json("thresholds", List.of(50))), 404, "SERVICE_NOT_FOUND");
        assertProblem(api.get("/api/v1/projects/no-such-project/quotas/CCS/alerts", OPERATOR), 404,
                "PROJECT_NOT_FOUND");

        for (Object wrong : List.of(List.of(), List.of(10, 20, 30, 40, 50, 60), List.of(0), List.of(101),
                List.of(80, 80), "80")) {
            assertValidationFailed(api.put(alerts("CCS"), admin, Api.json("thresholds", wrong)), "thresholds");
        }
        for (Object wrong : List.of(List.of("80"), List.of(80.5))) {
            assertValidationFailed(api.put(alerts("CCS"), admin, Api.json("thresholds", wrong)), "thresholds[0]");
        }
        assertValidationFailed(api.put(alerts("CCS"), admin, Api.json()), "thresholds");
        assertThat(thresholds(api.get(alerts("CCS"), admin))).containsExactly(80, 100);
    }

    @Test
    void usageCrossingAThresholdUpwardNotifiesOnceAndAgainOnlyAfterFallingBelow() {
        allocateFor("bob", "a1", Map.of("cpu", 7));
        allocateFor("bob", "a2", Map.of("cpu", 1));
        await().atMost(NOTIFIED_WITHIN).until(() -> alertsSeenBy(admin).size() == 1);
        JsonNode first = alertsSeenBy(admin).get(0);
        assertThat(first.path("type").asString()).isEqualTo("USAGE_THRESHOLD");
        assertThat(first.path("userId").asString()).isEqualTo("bob");
        JsonNode details = first.path("details");
        assertThat(details.path("scope").asString()).isEqualTo("PROJECT");
        assertThat(details.has("userId")).isFalse();
        assertThat(details.path("service").asString()).isEqualTo("CCS");
        assertThat(details.path("resource").asString()).isEqualTo("cpu");
        assertThat(details.path("threshold").asInt()).isEqualTo(80);
        assertThat(details.path("usage").asLong()).isEqualTo(8);
        assertThat(details.path("quota").asLong()).isEqualTo(10);
        assertThat(alertsSeenBy(bob)).as("the member whose allocation crossed it").hasSize(1);

        allocateFor("bob", "a3", Map.of("cpu", 1));
        assertThat(release(api, ccsService, projectId, "CCS", "a3").status()).isEqualTo(204);
        allocateFor("bob", "a4", Map.of("cpu", 1));
        awaitNotificationsCaughtUp();
        assertThat(alertsSeenBy(admin)).as("above it all along: no more").hasSize(1);

        assertThat(release(api, ccsService, projectId, "CCS", "a1").status()).isEqualTo(204);
        allocateFor("bob", "a5", Map.of("cpu", 6));
        await().atMost(NOTIFIED_WITHIN).until(() -> alertsSeenBy(admin).size() == 2);
        assertThat(alertsSeenBy(admin).get(1).path("details").path("threshold").asInt()).isEqualTo(80);
        allocateFor("bob", "a6", Map.of("cpu", 2));
        await().atMost(NOTIFIED_WITHIN).until(() -> alertsSeenBy(admin).size() == 3);
        assertThat(alertsSeenBy(admin).get(2).path("details").path("threshold").asInt()).isEqualTo(100);
    }

    @Test
    void aMemberQuotaCrossesForThatMemberAndTheTenantAdminsSeeIt() {
        String carol = memberKey(projectId, "carol", "TENANT_USER");
        assertThat(setMemberQuota(api, admin, projectId, "CCS", "bob", "", Map.of("gpu", 2)).status()).isEqualTo(200);
        allocateFor("bob", "g1", Map.of("gpu", 2));
        await().atMost(NOTIFIED_WITHIN).until(() -> alertsSeenBy(admin).size() == 2);
        List<JsonNode> seen = alertsSeenBy(bob);
        assertThat(seen).extracting(n -> n.path("details").path("threshold").asInt()).containsExactly(80, 100);
        assertThat(seen).allSatisfy(n -> {
            assertThat(n.path("details").path("scope").asString()).isEqualTo("MEMBER");
            assertThat(n.path("details").path("userId").asString()).isEqualTo("bob");
            assertThat(n.path("details").path("quota").asLong()).isEqualTo(2);
        });
        assertThat(alertsSeenBy(carol)).as("another member's alert").isEmpty();
    }

    @Test
    void changingAQuotaFiresNothing() {
        allocateFor("bob", "c1", Map.of("cpu", 5));
        assertThat(setProjectQuota(api, OPERATOR, projectId, "CCS", ccs(5, 4, 100)).status()).isEqualTo(200);
        assertThat(setMemberQuota(api, admin, projectId, "CCS", "bob", "", Map.of("cpu", 5)).status()).isEqualTo(200);
        awaitNotificationsCaughtUp();
        assertThat(alertsSeenBy(admin)).isEmpty();
    }

    @Test
    void sixteenRacingAllocationsAcrossAThresholdNotifyOnce() throws Exception {
        assertThat(setProjectQuota(api, OPERATOR, projectId, "CCS", ccs(20, 4, 100)).status()).isEqualTo(200);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Api.Response> answers = Quotas.atOnce(16, i ->
                allocate(api, ccsService, projectId, "CCS", run + "-" + i, "bob", Map.of("cpu", 1)));
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw()).isEqualTo(201));
        await().atMost(NOTIFIED_WITHIN).until(() -> alertsSeenBy(admin).size() >= 1);
        awaitNotificationsCaughtUp();
        List<JsonNode> seen = alertsSeenBy(admin);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).path("details").path("usage").asLong()).isEqualTo(16);
    }
}
