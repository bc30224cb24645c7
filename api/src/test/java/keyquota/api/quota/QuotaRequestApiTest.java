package keyquota.api.quota;

import keyquota.api.support.Api;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static keyquota.api.quota.Quotas.amounts;
import static keyquota.api.quota.Quotas.assertInvalid;
import static keyquota.api.quota.Quotas.assertProblem;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.projectQuota;
import static keyquota.api.quota.Quotas.row;
import static keyquota.api.quota.Quotas.serviceKey;
import static keyquota.api.quota.Quotas.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quota requests ("Quotas" and "Precise points of the additions" of the contract), through HTTP: every endpoint,
 * who may call it, its statuses and codes, and an approval that sets the quota together with the decision or not at
 * all.
 */
class QuotaRequestApiTest extends QuotaTest {

    @Autowired
    private JdbcClient jdbc;

    private static String requests(String projectId) {
        return "/api/v1/projects/" + projectId + "/quota-requests";
    }

    private Api.Response ask(String key, String projectId, Map<String, ?> resources, String userId) {
        return api.post(requests(projectId), key, userId == null
                ? Api.json("service", CCS, "resources", resources, "reason", "training run")
                : Api.json("service", CCS, "resources", resources, "reason", "training run", "userId", userId));
    }

    /** A new request's id, checking its 201. */
    private String asked(String key, String projectId, Map<String, ?> resources, String userId) {
        Api.Response response = ask(key, projectId, resources, userId);
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response.text("requestId");
    }

    private Api.Response step(String key, String projectId, String requestId, String step, String body) {
        return api.post(requests(projectId) + "/" + requestId + "/" + step, key, body);
    }

    private Api.Response list(String key, String projectId, String query) {
        return api.get(requests(projectId) + query, key);
    }

    private static List<String> ids(Api.Response list) {
        return list.body().path("requests").findValuesAsString("requestId");
    }

    private String status(String projectId, String requestId) {
        Api.Response list = list(OPERATOR, projectId, "?limit=100");
        for (JsonNode request : list.body().path("requests")) {
            if (request.path("requestId").asString().equals(requestId)) {
                return request.path("status").asString();
            }
        }
        throw new AssertionError("no request " + requestId + " in " + list.raw());
    }

    private List<String> storedEvents(String requestId) {
        return jdbc.sql("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "ORDER BY sequence_number").param(requestId).query(String.class).list().stream()
                .map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }

    /** A project with a tenant admin "admin", tenant users "alice" and "bob", and a CCS project quota. */
    private record Setup(String project, String admin, String alice, String bob) {
    }

    private Setup setup() {
        String project = newProject().projectQuota(CCS, Map.of("cpu", 16, "gpu", 4, "memory", 64)).id();
        return new Setup(project, memberKey(project, "admin", "TENANT_ADMIN"),
                memberKey(project, "alice", "TENANT_USER"), memberKey(project, "bob", "TENANT_USER"));
    }

    @Nested
    class Asking {

        @Test
        void aMemberAsksForTheirOwnQuotaAndTheRequestIsPending() {
            Setup s = setup();
            Instant before = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Api.Response made = ask(s.alice(), s.project(), Map.of("gpu", 2), null);
            assertThat(made.status()).as(made.raw()).isEqualTo(201);
            assertThat(made.text("requestId")).isNotBlank();
            assertThat(made.text("projectId")).isEqualTo(s.project());
            assertThat(made.text("service")).isEqualTo(CCS);
            assertThat(made.text("userId")).isEqualTo("alice");
            assertThat(amounts(made.body().path("resources"))).isEqualTo(Map.of("gpu", 2L));
            assertThat(made.text("reason")).isEqualTo("training run");
            assertThat(made.text("status")).isEqualTo("PENDING");
            // the test clock runs: the request may have crossed into the next second
            Instant createdAt = Instant.parse(made.text("createdAt"));
            assertThat(createdAt).isBetween(before, clock.instant())
                    .isEqualTo(createdAt.truncatedTo(ChronoUnit.SECONDS));
            assertThat(made.body().has("decidedAt")).isFalse();
            assertThat(made.body().has("decidedBy")).isFalse();
            assertThat(made.body().has("decisionReason")).isFalse();
        }

        @Test
        void aTenantAdminAsksForAnotherMemberATenantUserDoesNot() {
            Setup s = setup();
            Api.Response forAlice = ask(s.admin(), s.project(), Map.of("gpu", 2), "alice");
            assertThat(forAlice.status()).as(forAlice.raw()).isEqualTo(201);
            assertThat(forAlice.text("userId")).isEqualTo("alice");
            assertThat(forAlice.text("requestedBy")).isEqualTo("admin");
            assertProblem(ask(s.bob(), s.project(), Map.of("gpu", 2), "alice"), 403, "FORBIDDEN");
            Api.Response self = ask(s.bob(), s.project(), Map.of("gpu", 2), "bob");
            assertThat(self.status()).as(self.raw()).isEqualTo(201);
        }

        @Test
        void onlyMembersAsk() {
            Setup s = setup();
            assertProblem(ask(OPERATOR, s.project(), Map.of("gpu", 2), "alice"), 403, "FORBIDDEN");
            assertProblem(ask(serviceKey(api, OPERATOR, CCS), s.project(), Map.of("gpu", 2), "alice"), 403,
                    "FORBIDDEN");
            assertProblem(ask(null, s.project(), Map.of("gpu", 2), null), 401, "UNAUTHENTICATED");
            String other = createProject();
            assertProblem(ask(s.alice(), other, Map.of("gpu", 2), null), 404, "PROJECT_NOT_FOUND");
            assertProblem(ask(OPERATOR, "NO-SUCH-" + s.project(), Map.of("gpu", 2), "alice"), 404,
                    "PROJECT_NOT_FOUND");
        }

        @Test
        void theServiceMemberAndResourcesAreChecked() {
            Setup s = setup();
            assertProblem(api.post(requests(s.project()), s.alice(),
                    Api.json("service", "HPC", "resources", Map.of("gpu", 1), "reason", "x")), 404,
                    "SERVICE_NOT_FOUND");
            assertProblem(ask(s.admin(), s.project(), Map.of("gpu", 2), "nobody"), 404, "MEMBER_NOT_FOUND");
            assertInvalid(ask(s.alice(), s.project(), Map.of("floating_ip", 1), null), "resources.floating_ip");
            assertInvalid(ask(s.alice(), s.project(), Map.of("gpu", -2), null), "resources.gpu");
            assertInvalid(ask(s.alice(), s.project(), Map.of(), null), "resources");
            assertInvalid(api.post(requests(s.project()), s.alice(),
                    Api.json("service", CCS, "resources", Map.of("gpu", 1))), "reason");
            assertInvalid(api.post(requests(s.project()), s.alice(),
                    Api.json("service", CCS, "resources", Map.of("gpu", 1), "reason", " ")), "reason");
            assertProblem(api.post(requests(s.project()), s.alice(),
                    Api.json("service", CCS, "resources", Map.of("gpu", 1), "reason", "x", "extra", 1)), 400,
                    "VALIDATION_FAILED");
            assertThat(ids(list(OPERATOR, s.project(), ""))).isEmpty();
        }
    }

    @Nested
    class Listing {

        @Test
        void aTenantUserSeesWhatTheyAskedAndWhatWasAskedForThem() {
            Setup s = setup();
            String own = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            String forAlice = asked(s.admin(), s.project(), Map.of("gpu", 2), "alice");
            String bobs = asked(s.bob(), s.project(), Map.of("gpu", 3), null);

            assertThat(ids(list(s.alice(), s.project(), ""))).containsExactlyInAnyOrder(own, forAlice);
            assertThat(ids(list(s.bob(), s.project(), ""))).containsExactly(bobs);
            assertThat(ids(list(s.admin(), s.project(), ""))).containsExactlyInAnyOrder(own, forAlice, bobs);
            assertThat(ids(list(OPERATOR, s.project(), ""))).containsExactlyInAnyOrder(own, forAlice, bobs);
            assertProblem(list(serviceKey(api, OPERATOR, CCS), s.project(), ""), 403, "FORBIDDEN");
            assertProblem(list(s.alice(), createProject(), ""), 404, "PROJECT_NOT_FOUND");
        }

        @Test
        void theListFiltersByStatusAndPagesNewestFirst() {
            Setup s = setup();
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                made.add(asked(s.alice(), s.project(), Map.of("gpu", i), null));
                clock.advance(Duration.ofSeconds(1));
            }
            assertThat(step(s.alice(), s.project(), made.get(1), "cancel", "").status()).isEqualTo(200);

            assertThat(ids(list(s.admin(), s.project(), "?status=CANCELLED"))).containsExactly(made.get(1));
            assertThat(ids(list(s.admin(), s.project(), "?status=PENDING"))).hasSize(4);

            List<String> paged = new ArrayList<>();
            Api.Response page = list(s.admin(), s.project(), "?limit=2");
            paged.addAll(ids(page));
            while (!page.body().path("nextCursor").isNull()) {
                assertThat(ids(page)).hasSize(2);
                page = list(s.admin(), s.project(), "?limit=2&cursor=" + page.text("nextCursor"));
                paged.addAll(ids(page));
            }
            Collections.reverse(made);
            assertThat(paged).containsExactlyElementsOf(made);

            assertProblem(list(s.admin(), s.project(), "?status=OPEN"), 400, "VALIDATION_FAILED");
            assertProblem(list(s.admin(), s.project(), "?limit=0"), 400, "VALIDATION_FAILED");
            assertProblem(list(s.admin(), s.project(), "?limit=101"), 400, "VALIDATION_FAILED");
            assertProblem(list(s.admin(), s.project(), "?cursor=nonsense"), 400, "VALIDATION_FAILED");
        }
    }

    @Nested
    class Approving {

        @Test
        void aTenantAdminApprovesWithinTheProjectQuotaAndTheMemberQuotaIsSet() {
            Setup s = setup();
            String request = asked(s.alice(), s.project(), Map.of("gpu", 3, "cpu", 8), null);

            Api.Response approved = step(s.admin(), s.project(), request, "approve", "");
            assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
            assertThat(approved.text("status")).isEqualTo("APPROVED");
            assertThat(approved.text("decidedAt")).isNotBlank();
            assertThat(approved.body().path("decidedBy").path("type").asString()).isEqualTo("MEMBER");
            assertThat(approved.body().path("decidedBy").path("userId").asString()).isEqualTo("admin");
            assertThat(amounts(row(view(api, OPERATOR, s.project(), CCS).body(), "alice").path("quota")))
                    .isEqualTo(ccs(8, 3, -1));
            assertThat(status(s.project(), request)).isEqualTo("APPROVED");

            assertProblem(step(s.admin(), s.project(), request, "approve", ""), 409, "REQUEST_CLOSED");
            assertProblem(step(OPERATOR, s.project(), request, "approve", ""), 409, "REQUEST_CLOSED");
        }

        @Test
        void aTenantAdminCannotApproveBeyondTheProjectQuotaAndForwardsItInstead() {
            Setup s = setup();
            String request = asked(s.alice(), s.project(), Map.of("gpu", 8), null);

            Api.Response beyond = step(s.admin(), s.project(), request, "approve", "");
            assertProblem(beyond, 409, "QUOTA_ABOVE_PROJECT");
            assertThat(status(s.project(), request)).isEqualTo("PENDING");
            assertThat(storedEvents(request)).containsExactly("QuotaRequested");

            Api.Response forwarded = step(s.admin(), s.project(), request, "forward",
                    Api.json("reason", "beyond the project quota"));
            assertThat(forwarded.status()).as(forwarded.raw()).isEqualTo(200);
            assertThat(forwarded.text("status")).isEqualTo("FORWARDED");
            assertThat(forwarded.text("forwardReason")).isEqualTo("beyond the project quota");
            assertProblem(step(s.admin(), s.project(), request, "approve", ""), 403, "FORBIDDEN");
            assertProblem(step(s.admin(), s.project(), request, "reject", Api.json("reason", "no")), 403,
                    "FORBIDDEN");

            Api.Response approved = step(OPERATOR, s.project(), request, "approve", "");
            assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
            assertThat(approved.text("status")).isEqualTo("APPROVED");
            assertThat(approved.body().path("decidedBy").path("type").asString()).isEqualTo("OPERATOR");
            assertThat(approved.body().path("decidedBy").has("userId")).isFalse();
            JsonNode quotas = view(api, OPERATOR, s.project(), CCS).body();
            assertThat(projectQuota(quotas)).as("raised where the request needed it").isEqualTo(ccs(16, 8, 64));
            assertThat(amounts(row(quotas, "alice").path("quota"))).isEqualTo(ccs(-1, 8, -1));
            assertThat(storedEvents(request)).containsExactly("QuotaRequested", "QuotaRequestForwarded",
                    "QuotaRequestApproved");
        }

        @Test
        void aQuotaTheMemberQuotaRulesRefuseLeavesTheRequestPendingAndNothingChanged() {
            String project = newProject().tenantAdmin("admin").tenantUser("alice")
                    .projectQuota(CCS, Map.of("cpu", 16, "gpu", 4, "memory", 64)).id();
            String service = serviceKey(api, OPERATOR, CCS);
            newProjectAllocation(service, project);
            String alice = keyFor(project, "alice");
            String request = asked(alice, project, Map.of("gpu", 2, "cpu", 20), null);

            // The approval is appended first; the project quota is raised; then the member quota is refused
            // (below usage): all three steps roll back together.
            assertProblem(step(OPERATOR, project, request, "approve", ""), 409, "QUOTA_BELOW_USAGE");
            assertThat(storedEvents(request)).containsExactly("QuotaRequested");
            assertThat(status(project, request)).isEqualTo("PENDING");
            JsonNode quotas = view(api, OPERATOR, project, CCS).body();
            assertThat(projectQuota(quotas)).isEqualTo(ccs(16, 4, 64));
            assertThat(amounts(row(quotas, "alice").path("quota"))).isEqualTo(ccs(-1, -1, -1));

            // nothing of the rolled-back approval lingers in the aggregate either
            Api.Response cancelled = step(alice, project, request, "cancel", "");
            assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
            assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
            assertThat(storedEvents(request)).containsExactly("QuotaRequested", "QuotaRequestCancelled");
        }

        private void newProjectAllocation(String serviceKey, String project) {
            Api.Response allocated = Quotas.allocate(api, serviceKey, project, CCS, "a1", "alice",
                    Map.of("gpu", 3));
            assertThat(allocated.status()).as(allocated.raw()).isEqualTo(201);
        }

        @Test
        void tenantUsersDoNotDecideAndUnknownRequestsAreNotFound() {
            Setup s = setup();
            String own = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            String bobs = asked(s.bob(), s.project(), Map.of("gpu", 1), null);
            assertProblem(step(s.alice(), s.project(), own, "approve", ""), 403, "FORBIDDEN");
            assertProblem(step(s.alice(), s.project(), bobs, "approve", ""), 404, "NOT_FOUND");
            assertProblem(step(s.admin(), s.project(), UUID.randomUUID().toString(), "approve", ""), 404,
                    "NOT_FOUND");
            assertProblem(step(s.admin(), s.project(), "not-a-request", "approve", ""), 404, "NOT_FOUND");
            String other = newProject().id();
            assertProblem(step(OPERATOR, other, own, "approve", ""), 404, "NOT_FOUND");
            assertThat(status(s.project(), own)).isEqualTo("PENDING");
        }
    }

    @Nested
    class Rejecting {

        @Test
        void aTenantAdminOrTheOperatorRejectsWithAReason() {
            Setup s = setup();
            String request = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertInvalid(step(s.admin(), s.project(), request, "reject", "{}"), "reason");
            assertProblem(step(s.alice(), s.project(), request, "reject", Api.json("reason", "no")), 403,
                    "FORBIDDEN");

            Api.Response rejected = step(s.admin(), s.project(), request, "reject",
                    Api.json("reason", "not this quarter"));
            assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
            assertThat(rejected.text("status")).isEqualTo("REJECTED");
            assertThat(rejected.text("decisionReason")).isEqualTo("not this quarter");
            assertThat(rejected.body().path("decidedBy").path("userId").asString()).isEqualTo("admin");
            assertProblem(step(OPERATOR, s.project(), request, "reject", Api.json("reason", "no")), 409,
                    "REQUEST_CLOSED");

            String another = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            Api.Response byOperator = step(OPERATOR, s.project(), another, "reject", Api.json("reason", "no"));
            assertThat(byOperator.status()).as(byOperator.raw()).isEqualTo(200);
            assertThat(byOperator.body().path("decidedBy").path("type").asString()).isEqualTo("OPERATOR");
        }
    }

    @Nested
    class Forwarding {

        @Test
        void onlyATenantAdminForwardsAPendingRequest() {
            Setup s = setup();
            String request = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertProblem(step(s.alice(), s.project(), request, "forward", ""), 403, "FORBIDDEN");
            assertProblem(step(OPERATOR, s.project(), request, "forward", ""), 403, "FORBIDDEN");
            assertInvalid(step(s.admin(), s.project(), request, "forward", Api.json("reason", "")), "reason");

            Api.Response forwarded = step(s.admin(), s.project(), request, "forward", "");
            assertThat(forwarded.status()).as(forwarded.raw()).isEqualTo(200);
            assertThat(forwarded.text("status")).isEqualTo("FORWARDED");
            assertThat(forwarded.text("forwardedBy")).isEqualTo("admin");
            assertProblem(step(s.admin(), s.project(), request, "forward", ""), 409, "REQUEST_CLOSED");
        }
    }

    @Nested
    class Cancelling {

        @Test
        void theRequesterOrTheOperatorCancelsAnOpenRequest() {
            Setup s = setup();
            String pending = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertProblem(step(s.admin(), s.project(), pending, "cancel", ""), 403, "FORBIDDEN");
            assertProblem(step(s.bob(), s.project(), pending, "cancel", ""), 404, "NOT_FOUND");
            Api.Response cancelled = step(s.alice(), s.project(), pending, "cancel", "");
            assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
            assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
            assertThat(cancelled.body().path("decidedBy").path("userId").asString()).isEqualTo("alice");
            assertProblem(step(s.alice(), s.project(), pending, "cancel", ""), 409, "REQUEST_CLOSED");

            String forwarded = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertThat(step(s.admin(), s.project(), forwarded, "forward", "").status()).isEqualTo(200);
            Api.Response byOperator = step(OPERATOR, s.project(), forwarded, "cancel", "");
            assertThat(byOperator.status()).as(byOperator.raw()).isEqualTo(200);
            assertThat(byOperator.text("status")).isEqualTo("CANCELLED");
        }

        /** Approving and cancelling take no body: one they cannot take is refused and decides nothing. */
        @Test
        void aBodyTheStepDoesNotTakeIsRefusedAndTheRequestStaysOpen() {
            Setup s = setup();
            String pending = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertProblem(step(s.admin(), s.project(), pending, "approve", "{not json"), 400, "VALIDATION_FAILED");
            assertProblem(step(s.admin(), s.project(), pending, "approve", "{\"resources\":{\"gpu\":3}}"), 400,
                    "VALIDATION_FAILED");
            assertProblem(step(s.alice(), s.project(), pending, "cancel", "{\"foo\":1}"), 400, "VALIDATION_FAILED");
            assertThat(status(s.project(), pending)).isEqualTo("PENDING");
            assertThat(storedEvents(pending)).containsExactly("QuotaRequested");
        }

        @Test
        void theMemberARequestWasMadeForDoesNotCancelIt() {
            Setup s = setup();
            String forAlice = asked(s.admin(), s.project(), Map.of("gpu", 1), "alice");
            assertProblem(step(s.alice(), s.project(), forAlice, "cancel", ""), 403, "FORBIDDEN");
            assertThat(step(s.admin(), s.project(), forAlice, "cancel", "").status()).isEqualTo(200);
        }
    }

    @Nested
    class AtTheSameMoment {

        @Test
        void aRequestApprovedByManyAtOnceIsApprovedOnceAndTheOthersAreClosed() throws Exception {
            Setup s = setup();
            String request = asked(s.alice(), s.project(), Map.of("gpu", 3), null);
            List<Api.Response> answers = Quotas.atOnce(6, i ->
                    step(i % 2 == 0 ? OPERATOR : s.admin(), s.project(), request, "approve", ""));
            assertThat(answers).extracting(Api.Response::status).as(answers.toString())
                    .containsOnly(200, 409).filteredOn(status -> status == 200).hasSize(1);
            answers.stream().filter(answer -> answer.status() == 409)
                    .forEach(answer -> assertProblem(answer, 409, "REQUEST_CLOSED"));
            assertThat(storedEvents(request)).containsExactly("QuotaRequested", "QuotaRequestApproved");
            assertThat(amounts(row(view(api, OPERATOR, s.project(), CCS).body(), "alice").path("quota")))
                    .isEqualTo(ccs(-1, 3, -1));
        }

        /** Approvals of one project's requests contend for its quota aggregate: each is tried again whole. */
        @Test
        void manyRequestsOfOneProjectApprovedAtOnceAreAllApproved() throws Exception {
            String project = newProject().tenantUsers(6).projectQuota(CCS, Map.of("gpu", 100)).id();
            List<String> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                requests.add(asked(keyFor(project, user(i)), project, Map.of("gpu", i + 1), null));
            }
            List<Api.Response> answers = Quotas.atOnce(6, i -> step(OPERATOR, project, requests.get(i), "approve",
                    ""));
            assertThat(answers).extracting(Api.Response::status).as(answers.toString()).containsOnly(200);
            JsonNode quotas = view(api, OPERATOR, project, CCS).body();
            for (int i = 0; i < 6; i++) {
                assertThat(amounts(row(quotas, user(i)).path("quota")).get("gpu")).isEqualTo(i + 1L);
                assertThat(storedEvents(requests.get(i))).containsExactly("QuotaRequested", "QuotaRequestApproved");
            }
        }
    }

    @Nested
    class AuditAndNotifications {

        @Test
        void everyStepIsAnAuditEntryWithItsActor() {
            Setup s = setup();
            String approved = asked(s.alice(), s.project(), Map.of("gpu", 8), null);
            assertThat(step(s.admin(), s.project(), approved, "forward", "").status()).isEqualTo(200);
            assertThat(step(OPERATOR, s.project(), approved, "approve", "").status()).isEqualTo(200);
            String rejected = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertThat(step(s.admin(), s.project(), rejected, "reject", Api.json("reason", "no")).status())
                    .isEqualTo(200);
            String cancelled = asked(s.alice(), s.project(), Map.of("gpu", 1), null);
            assertThat(step(s.alice(), s.project(), cancelled, "cancel", "").status()).isEqualTo(200);

            List<String> expected = List.of(
                    "QuotaRequested quota-request/" + approved + " MEMBER alice",
                    "QuotaRequestForwarded quota-request/" + approved + " MEMBER admin",
                    "QuotaRequestApproved quota-request/" + approved + " OPERATOR -",
                    "QuotaRequested quota-request/" + rejected + " MEMBER alice",
                    "QuotaRequestRejected quota-request/" + rejected + " MEMBER admin",
                    "QuotaRequested quota-request/" + cancelled + " MEMBER alice",
                    "QuotaRequestCancelled quota-request/" + cancelled + " MEMBER alice");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(requestEntries(s.project()))
                    .containsExactlyElementsOf(expected));
            Api.Response audit = api.get("/api/v1/audit?type=QuotaRequestRejected&projectId=" + s.project(),
                    OPERATOR);
            JsonNode rejection = audit.body().path("entries").get(0);
            assertThat(rejection.path("details").path("reason").asString()).isEqualTo("no");
            assertThat(rejection.path("details").path("userId").asString()).isEqualTo("alice");
        }

        private List<String> requestEntries(String project) {
            Api.Response audit = api.get("/api/v1/audit?limit=200&projectId=" + project, OPERATOR);
            assertThat(audit.status()).as(audit.raw()).isEqualTo(200);
            return audit.body().path("entries").valueStream()
                    .filter(entry -> entry.path("type").asString().startsWith("QuotaRequest"))
                    .map(entry -> entry.path("type").asString() + " " + entry.path("subject").asString() + " "
                            + entry.path("actor").path("type").asString() + " "
                            + entry.path("actor").path("userId").asString("-"))
                    .toList();
        }

        @Test
        void theRequesterTheMemberItIsForAndThoseWhoDecideHearOfEachStep() {
            Setup s = setup();
            String forAlice = asked(s.admin(), s.project(), Map.of("gpu", 2), "alice");
            assertThat(step(s.admin(), s.project(), forAlice, "approve", "").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(requestNotifications(s.alice(), s.project())).hasSize(2));
            List<JsonNode> alices = requestNotifications(s.alice(), s.project());
            assertThat(alices).extracting(n -> n.path("details").path("event").asString())
                    .containsExactly("QuotaRequestApproved", "QuotaRequested");
            assertThat(alices).allSatisfy(n -> {
                assertThat(n.path("userId").asString()).isEqualTo("alice");
                assertThat(n.path("details").path("requestId").asString()).isEqualTo(forAlice);
                assertThat(n.path("details").path("requestedBy").asString()).isEqualTo("admin");
                assertThat(n.path("details").path("service").asString()).isEqualTo(CCS);
            });
            assertThat(requestNotifications(s.bob(), s.project())).isEmpty();
            // to the requester (the tenant admin) and to alice, each step; the operator sees them all
            assertThat(requestNotifications(s.admin(), s.project())).hasSize(4);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(requestNotifications(OPERATOR, s.project())).hasSize(4));
        }

        private List<JsonNode> requestNotifications(String key, String project) {
            Api.Response list = api.get("/api/v1/notifications?type=QUOTA_REQUEST&limit=200", key);
            assertThat(list.status()).as(list.raw()).isEqualTo(200);
            return list.body().path("notifications").valueStream()
                    .filter(n -> project.equals(n.path("projectId").asString(null))).toList();
        }
    }
}
