package keyquota.api.audit;

import keyquota.api.support.Api;
import keyquota.api.support.Members;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/audit: what an entry says, the filters and pages, who sees what, correlation ids and secrets. */
class AuditApiTest extends AuditTestBase {

    private static final Set<String> ENTRY_FIELDS = Set.of("position", "occurredAt", "type", "actor", "projectId",
            "subject", "details", "correlationId");

    private final Members members = new Members(this);

    /** One expected audit entry: its type, actor, subject and the details that must hold exactly these values. */
    private record Expected(String type, String actorType, String actorUserId, String actorKeyId, String subject,
                            Map<String, Object> details) {
    }

    /**
     * A project with a history of every kind of change, made by the operator, a tenant admin, tenant users and a
     * service key, and the entries it must have produced, in order.
     */
    private final class Scenario {
        final Instant start = clock.instant().minusMillis(1);
        final String project = createProject();
        final String operatorKeyId = operatorKeyId();
        final List<Expected> expected = new ArrayList<>();
        String admin;
        String adminKeyId;
        String alice;
        String aliceKeyId;
        String bobKeyId;
        String carol;
        String carolKeyId;
        String laptopKeyId;
        String byAdminKeyId;
        String byOperatorKeyId;
        String carolOwnKeyId;
        String serviceKeyId;
        Instant quotasFrom;
        Instant end;

        Scenario() {
            expect("ProjectCreated", operator(), "project/" + project, Map.of("name", "Project " + project));
            admin = joinWithKey("admin", "TENANT_ADMIN");
            adminKeyId = lastKeyId;
            alice = joinWithKey("alice", "TENANT_USER");
            aliceKeyId = lastKeyId;
            joinWithKey("bob", "TENANT_USER");
            bobKeyId = lastKeyId;
            carol = joinWithKey("carol", "TENANT_USER");
            carolKeyId = lastKeyId;

            // alice creates, extends and deletes a key of her own
            Api.Response laptop = ok(201, api.post(keys(), alice, Api.json("name", "laptop", "validDays", 10)));
            laptopKeyId = laptop.text("keyId");
            expect("KeyCreated", member("alice", aliceKeyId), "key/" + laptopKeyId, keyCreated(laptop));
            assertProblem(api.post(keys() + "/" + laptopKeyId + "/extend", alice, Api.json("days", 400)), 400,
                    "VALIDATION_FAILED");
            Api.Response extended = ok(200, api.post(keys() + "/" + laptopKeyId + "/extend", alice,
                    Api.json("days", 5)));
            Instant oldExpiry = Instant.parse(laptop.text("expiresAt"));
            assertThat(Instant.parse(extended.text("expiresAt"))).isEqualTo(oldExpiry.plus(Duration.ofDays(5)));
            expect("KeyExtended", member("alice", aliceKeyId), "key/" + laptopKeyId, Map.of("userId", "alice",
                    "oldExpiresAt", oldExpiry, "newExpiresAt", oldExpiry.plus(Duration.ofDays(5))));
            ok(204, api.delete(keys() + "/" + laptopKeyId, alice));
            expect("KeyDeleted", member("alice", aliceKeyId), "key/" + laptopKeyId,
                    Map.of("userId", "alice", "reason", "BY_OWNER"));

            // the tenant admin, then the operator, create a key for bob and delete it
            Api.Response byAdmin = ok(201, api.post(keys(), admin, Api.json("userId", "bob", "name", "by-admin")));
            byAdminKeyId = byAdmin.text("keyId");
            expect("KeyCreated", member("admin", adminKeyId), "key/" + byAdminKeyId, keyCreated(byAdmin));
            ok(204, api.delete(keys() + "/" + byAdminKeyId, admin));
            expect("KeyDeleted", member("admin", adminKeyId), "key/" + byAdminKeyId,
                    Map.of("userId", "bob", "reason", "BY_TENANT_ADMIN"));
            Api.Response byOperator = ok(201, api.post(keys(), OPERATOR, Api.json("userId", "bob", "name", "by-op")));
            byOperatorKeyId = byOperator.text("keyId");
            expect("KeyCreated", operator(), "key/" + byOperatorKeyId, keyCreated(byOperator));
            ok(204, api.delete(keys() + "/" + byOperatorKeyId, OPERATOR));
            expect("KeyDeleted", operator(), "key/" + byOperatorKeyId,
                    Map.of("userId", "bob", "reason", "BY_OPERATOR"));

            // carol makes and deletes a key of her own; the admin extends carol's first key
            Api.Response carolOwn = ok(201, api.post(keys(), carol, Api.json("name", "carol-own")));
            carolOwnKeyId = carolOwn.text("keyId");
            expect("KeyCreated", member("carol", carolKeyId), "key/" + carolOwnKeyId, keyCreated(carolOwn));
            Api.Response carolKey = ok(200, api.get(keys() + "/" + carolKeyId, OPERATOR));
            Instant carolExpiry = Instant.parse(carolKey.text("expiresAt"));
            ok(200, api.post(keys() + "/" + carolKeyId + "/extend", admin, Api.json("days", 1)));
            expect("KeyExtended", member("admin", adminKeyId), "key/" + carolKeyId, Map.of("userId", "carol",
                    "oldExpiresAt", carolExpiry, "newExpiresAt", carolExpiry.plus(Duration.ofDays(1))));
            ok(204, api.delete(keys() + "/" + carolOwnKeyId, carol));
            expect("KeyDeleted", member("carol", carolKeyId), "key/" + carolOwnKeyId,
                    Map.of("userId", "carol", "reason", "BY_OWNER"));

            // role change and removal delete the member's keys first
            assertProblem(api.put(members() + "/bob", alice, Api.json("role", "TENANT_ADMIN")), 403, "FORBIDDEN");
            ok(200, api.put(members() + "/bob", admin, Api.json("role", "TENANT_ADMIN")));
            expect("KeyDeleted", member("admin", adminKeyId), "key/" + bobKeyId,
                    Map.of("userId", "bob", "reason", "ROLE_CHANGED"));
            expect("MemberRoleChanged", member("admin", adminKeyId), "member/bob",
                    Map.of("oldRole", "TENANT_USER", "newRole", "TENANT_ADMIN"));
            ok(200, api.put(members() + "/bob", admin, Api.json("role", "TENANT_ADMIN")));
            ok(204, api.delete(members() + "/alice", admin));
            expect("KeyDeleted", member("admin", adminKeyId), "key/" + aliceKeyId,
                    Map.of("userId", "alice", "reason", "MEMBERSHIP_ENDED"));
            expect("MemberRemoved", member("admin", adminKeyId), "member/alice", Map.of("role", "TENANT_USER"));

            // quotas and usage, a minute later
            clock.advance(Duration.ofMinutes(1));
            quotasFrom = clock.instant().minusMillis(1);
            Map<String, Object> zero = quota(0, 0, 0);
            Map<String, Object> unlimited = quota(-1, -1, -1);
            ok(200, api.put(quotas(), OPERATOR, Api.json("quota", Map.of("cpu", 10, "gpu", 2))));
            expect("ProjectQuotaSet", operator(), "quota/CCS", Map.of("service", "CCS", "oldQuota", zero,
                    "newQuota", quota(10, 2, 0), "forced", false));
            ok(200, api.put(quotas(), OPERATOR, Api.json("quota", Map.of("cpu", 10))));
            ok(200, api.put(quotas() + "/members/bob", admin, Api.json("quota", Map.of("cpu", 4))));
            expect("MemberQuotaSet", member("admin", adminKeyId), "quota/CCS/member/bob", Map.of("service", "CCS",
                    "oldQuota", unlimited, "newQuota", quota(4, -1, -1), "forced", false));
            Api.Response service = ok(201, api.post("/api/v1/service-keys", OPERATOR,
                    Api.json("name", "audit-ccs", "service", "CCS")));
            serviceKeyId = service.text("keyId");
            String allocationId = "alloc-" + UUID.randomUUID();
            ok(201, api.post(quotas() + "/allocations", service.text("key"), Api.json("allocationId", allocationId,
                    "userId", "bob", "resources", Map.of("cpu", 3, "gpu", 1))));
            Actor serviceActor = new Actor("SERVICE", null, serviceKeyId);
            expect("UsageAllocated", serviceActor, "allocation/CCS/" + allocationId, Map.of("service", "CCS",
                    "allocationId", allocationId, "resources", Map.of("cpu", 3, "gpu", 1),
                    "memberUsage", quota(3, 1, 0), "projectUsage", quota(3, 1, 0)));
            assertProblem(api.post(quotas() + "/allocations", service.text("key"), Api.json("allocationId",
                    allocationId + "-2", "userId", "bob", "resources", Map.of("cpu", 2))), 409, "QUOTA_EXCEEDED");
            ok(200, api.put(quotas() + "/members/bob?force=true", OPERATOR, Api.json("quota", Map.of("cpu", 1))));
            expect("MemberQuotaSet", operator(), "quota/CCS/member/bob", Map.of("service", "CCS",
                    "oldQuota", quota(4, -1, -1), "newQuota", quota(1, -1, -1), "forced", true));
            ok(200, api.put(quotas() + "/members/carol", OPERATOR, Api.json("quota", Map.of("gpu", 1))));
            expect("MemberQuotaSet", operator(), "quota/CCS/member/carol", Map.of("service", "CCS",
                    "oldQuota", unlimited, "newQuota", quota(-1, 1, -1), "forced", false));
            ok(204, api.delete(quotas() + "/allocations/" + allocationId, service.text("key")));
            expect("UsageReleased", serviceActor, "allocation/CCS/" + allocationId, Map.of("service", "CCS",
                    "allocationId", allocationId, "resources", Map.of("cpu", 3, "gpu", 1),
                    "memberUsage", zero, "projectUsage", zero));
            ok(204, api.delete(quotas() + "/allocations/" + allocationId, service.text("key")));
            end = clock.instant().plusMillis(1);
        }

        private String lastKeyId;

        private String joinWithKey(String userId, String role) {
            addMember(project, userId, role);
            expect("MemberJoined", operator(), "member/" + userId, Map.of("role", role));
            Api.Response created = createKey(project, userId);
            lastKeyId = created.text("keyId");
            expect("KeyCreated", operator(), "key/" + lastKeyId, keyCreated(created));
            return created.text("key");
        }

        private Map<String, Object> keyCreated(Api.Response key) {
            return Map.of("userId", key.text("userId"), "role", key.text("role"), "name", key.text("name"),
                    "maskedKey", key.text("maskedKey"), "expiresAt", Instant.parse(key.text("expiresAt")));
        }

        private void expect(String type, Actor actor, String subject, Map<String, Object> details) {
            expected.add(new Expected(type, actor.type, actor.userId, actor.keyId, subject, details));
        }

        Actor operator() {
            return new Actor("OPERATOR", null, operatorKeyId);
        }

        String keys() {
            return "/api/v1/projects/" + project + "/keys";
        }

        String members() {
            return "/api/v1/projects/" + project + "/members";
        }

        String quotas() {
            return "/api/v1/projects/" + project + "/quotas/CCS";
        }

        List<JsonNode> entries() {
            return projectEntries(project, expected.size());
        }

        /** The subjects of carol's two keys: the one the operator made her and the one she made herself. */
        Set<String> carolsKeys() {
            return Set.of("key/" + carolKeyId, "key/" + carolOwnKeyId);
        }
    }

    private record Actor(String type, String userId, String keyId) {
    }

    private static Actor member(String userId, String keyId) {
        return new Actor("MEMBER", userId, keyId);
    }

    private static Map<String, Object> quota(long cpu, long gpu, long memory) {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("cpu", cpu);
        quota.put("gpu", gpu);
        quota.put("memory", memory);
        return quota;
    }

    private static Api.Response ok(int status, Api.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        return response;
    }

    private static void assertSameValue(String where, JsonNode actual, Object expected) {
        if (expected instanceof Instant instant) {
            assertThat(actual.isString()).as(where + " is a time: " + actual).isTrue();
            assertThat(Instant.parse(actual.asString())).as(where).isEqualTo(instant);
        } else if (expected instanceof Map<?, ?> map) {
            assertThat(actual.isObject()).as(where + " is an object: " + actual).isTrue();
            assertThat(actual.propertyNames()).as(where).containsExactlyInAnyOrderElementsOf(
                    map.keySet().stream().map(String::valueOf).toList());
            map.forEach((name, value) -> assertSameValue(where + "." + name, actual.path((String) name), value));
        } else if (expected instanceof Number number) {
            assertThat(actual.isIntegralNumber()).as(where + " is a number: " + actual).isTrue();
            assertThat(actual.asLong()).as(where).isEqualTo(number.longValue());
        } else if (expected instanceof Boolean bool) {
            assertThat(actual.isBoolean()).as(where + " is a boolean: " + actual).isTrue();
            assertThat(actual.asBoolean()).as(where).isEqualTo(bool);
        } else {
            assertThat(actual.isString()).as(where + " is a string: " + actual).isTrue();
            assertThat(actual.asString()).as(where).isEqualTo(String.valueOf(expected));
        }
    }

    /** The entry is the expected one: type, actor, project, subject, and the detail values named. */
    private static void assertEntry(JsonNode entry, Expected expected, String projectId) {
        String where = entry.toString();
        assertThat(entry.path("type").asString()).as(where).isEqualTo(expected.type());
        assertThat(entry.path("projectId").asString()).as(where).isEqualTo(projectId);
        assertThat(entry.path("subject").asString()).as(where).isEqualTo(expected.subject());
        JsonNode actor = entry.path("actor");
        assertThat(actor.path("type").asString()).as(where).isEqualTo(expected.actorType());
        assertThat(actor.path("keyId").asString()).as(where).isEqualTo(expected.actorKeyId());
        if (expected.actorUserId() == null) {
            assertThat(actor.has("userId")).as(where).isFalse();
        } else {
            assertThat(actor.path("userId").asString()).as(where).isEqualTo(expected.actorUserId());
        }
        JsonNode details = entry.path("details");
        assertThat(details.isObject()).as(where).isTrue();
        assertThat(details.has("keyHash")).as(where).isFalse();
        expected.details().forEach((name, value) -> {
            assertThat(details.has(name)).as("%s has details.%s", where, name).isTrue();
            assertSameValue(where + " details." + name, details.path(name), value);
        });
    }

    private static List<Long> positions(List<JsonNode> entries) {
        return entries.stream().map(entry -> entry.path("position").asLong()).toList();
    }

    private Api.Response audit(String query, String key) {
        return api.get(AUDIT + (query.isEmpty() ? "" : "?" + query), key);
    }

    /** The entries of the first page the query selects. */
    private List<JsonNode> entries(String query, String key) {
        Api.Response page = audit(query, key);
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        return entriesOf(page);
    }

    private static List<JsonNode> entriesOf(Api.Response page) {
        return page.body().path("entries").valueStream().toList();
    }

    private static String typeAndSubject(JsonNode entry) {
        return entry.path("type").asString() + " " + entry.path("subject").asString();
    }

    @Nested
    class WhatAnEntryRecords {

        @Test
        void everyChangeIsAnEntryWithItsActorSubjectAndWhatChanged() {
            Scenario scenario = new Scenario();

            List<JsonNode> entries = scenario.entries();

            assertThat(types(entries)).containsExactlyElementsOf(
                    scenario.expected.stream().map(Expected::type).toList());
            for (int i = 0; i < entries.size(); i++) {
                assertEntry(entries.get(i), scenario.expected.get(i), scenario.project);
            }
        }

        @Test
        void anEntryHasTheContractShape() {
            Instant before = clock.instant().minusMillis(1);
            String project = createProject();
            members.tenantUser(project, "alice");
            Instant after = clock.instant().plusMillis(1);
            projectEntries(project, 3);

            Api.Response page = audit("projectId=" + enc(project), OPERATOR);

            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("application/json");
            assertThat(page.body().propertyNames()).containsExactlyInAnyOrder("entries", "nextCursor");
            assertThat(page.body().path("nextCursor").isNull()).isTrue();
            List<JsonNode> entries = entriesOf(page);
            assertThat(types(entries)).containsExactly("ProjectCreated", "MemberJoined", "KeyCreated");
            long last = 0;
            for (JsonNode entry : entries) {
                assertThat(ENTRY_FIELDS).as(entry.toString()).containsAll(entry.propertyNames());
                assertThat(entry.propertyNames()).as(entry.toString())
                        .contains("position", "occurredAt", "type", "actor", "projectId", "subject", "details");
                assertThat(entry.path("position").isIntegralNumber()).isTrue();
                assertThat(entry.path("position").asLong()).isGreaterThan(last);
                last = entry.path("position").asLong();
                Instant occurredAt = Instant.parse(entry.path("occurredAt").asString());
                assertThat(entry.path("occurredAt").asString()).endsWith("Z");
                assertThat(occurredAt).isBetween(before, after);
                assertThat(entry.path("actor").propertyNames()).containsExactlyInAnyOrder("type", "keyId");
                assertThat(entry.path("actor").path("type").asString()).isEqualTo("OPERATOR");
                assertThat(UUID.fromString(entry.path("actor").path("keyId").asString())).isNotNull();
                assertThat(entry.path("details").isObject()).isTrue();
            }
        }
    }

    @Nested
    class Filters {

        @Test
        void filtersSelectByProjectUserKeyTypeAndTime() {
            Scenario scenario = new Scenario();
            String project = "projectId=" + enc(scenario.project);
            List<JsonNode> all = scenario.entries();

            assertThat(types(entries(project + "&keyId=" + scenario.laptopKeyId, OPERATOR)))
                    .containsExactly("KeyCreated", "KeyExtended", "KeyDeleted");
            assertThat(entries("keyId=" + scenario.laptopKeyId, OPERATOR)).hasSize(3);

            List<JsonNode> bob = entries(project + "&userId=bob", OPERATOR);
            assertThat(types(bob)).containsExactly("MemberJoined", "KeyCreated", "KeyCreated", "KeyDeleted",
                    "KeyCreated", "KeyDeleted", "KeyDeleted", "MemberRoleChanged", "MemberQuotaSet", "UsageAllocated",
                    "MemberQuotaSet", "UsageReleased");

            List<JsonNode> deleted = entries(project + "&type=KeyDeleted", OPERATOR);
            assertThat(deleted.stream().map(entry -> entry.path("details").path("reason").asString()).toList())
                    .containsExactly("BY_OWNER", "BY_TENANT_ADMIN", "BY_OPERATOR", "BY_OWNER", "ROLE_CHANGED",
                            "MEMBERSHIP_ENDED");
            assertThat(types(entries(project + "&type=KeyDeleted&userId=bob", OPERATOR))).hasSize(3);
            assertThat(entries(project + "&type=NoSuchEvent", OPERATOR)).isEmpty();
            assertThat(entries(project + "&userId=nobody", OPERATOR)).isEmpty();

            // from is inclusive, to exclusive
            List<JsonNode> later = entries(project + "&from=" + enc(scenario.quotasFrom), OPERATOR);
            assertThat(types(later)).containsExactly("ProjectQuotaSet", "MemberQuotaSet", "UsageAllocated",
                    "MemberQuotaSet", "MemberQuotaSet", "UsageReleased");
            List<JsonNode> earlier = entries(project + "&to=" + enc(scenario.quotasFrom), OPERATOR);
            assertThat(earlier.size() + later.size()).isEqualTo(all.size());
            assertThat(positions(earlier)).containsExactlyElementsOf(positions(all.subList(0, earlier.size())));
            JsonNode quotaSet = later.get(0);
            String at = enc(quotaSet.path("occurredAt").asString());
            assertThat(positions(entries(project + "&from=" + at + "&type=ProjectQuotaSet", OPERATOR)))
                    .containsExactly(quotaSet.path("position").asLong());
            assertThat(entries(project + "&to=" + at + "&type=ProjectQuotaSet", OPERATOR)).isEmpty();
            assertThat(entries(project + "&from=" + enc(scenario.quotasFrom) + "&to=" + enc(scenario.end)
                    + "&userId=bob", OPERATOR)).hasSize(4);
            assertThat(entries(project + "&from=" + enc(scenario.end), OPERATOR)).isEmpty();
        }

        @Test
        void malformedFiltersAreRejected() {
            assertValidationFailed(audit("from=yesterday", OPERATOR), "from");
            assertValidationFailed(audit("to=2026-13-01T00:00:00Z", OPERATOR), "to");
            assertValidationFailed(audit("limit=ten", OPERATOR), "limit");
        }

        /** API.md: a value of the wrong type is 400 VALIDATION_FAILED; a filter is not a path identifier. */
        @Test
        void aKeyIdFilterThatIsNotAUuidIsAValidationError() {
            assertValidationFailed(audit("keyId=not-a-uuid", OPERATOR), "keyId");
        }
    }

    @Nested
    class PagesAndCursors {

        /** One page of the query as the operator reads it, from the cursor (null: the first page). */
        private Api.Response page(String query, String cursor) {
            Api.Response page = audit(query + (cursor == null ? "" : "&cursor=" + enc(cursor)), OPERATOR);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            return page;
        }

        private static String nextCursor(Api.Response page) {
            JsonNode next = page.body().path("nextCursor");
            return next.isString() ? next.asString() : null;
        }

        /** The positions on every page of the query from the cursor (null: from the first page) to the last. */
        private List<Long> walk(String query, String cursor) {
            List<Long> walked = new ArrayList<>();
            do {
                Api.Response page = page(query, cursor);
                walked.addAll(positions(entriesOf(page)));
                cursor = nextCursor(page);
            } while (cursor != null);
            return walked;
        }

        @Test
        void limitIsBetween1And200AndDefaultsTo50() {
            new Scenario().entries();
            new Scenario().entries();
            assertValidationFailed(audit("limit=0", OPERATOR), "limit");
            assertValidationFailed(audit("limit=201", OPERATOR), "limit");
            assertValidationFailed(audit("limit=-1", OPERATOR), "limit");
            assertThat(entries("limit=1", OPERATOR)).hasSize(1);
            assertThat(entries("limit=200", OPERATOR)).hasSize(Math.min(200, allEntries("", OPERATOR).size()));
            Api.Response byDefault = audit("", OPERATOR);
            assertThat(byDefault.body().path("entries").size()).isEqualTo(50);
            assertThat(byDefault.body().path("nextCursor").isString()).isTrue();
        }

        @Test
        void pagesFollowEachOtherWithoutDuplicatesOrGaps() {
            Scenario scenario = new Scenario();
            String project = "projectId=" + enc(scenario.project);
            List<Long> all = positions(scenario.entries());
            assertThat(all.size()).isGreaterThan(20);

            for (int limit : new int[] {1, 2, 3, 7, all.size(), all.size() + 1}) {
                List<Long> walked = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    Api.Response page = page(project + "&limit=" + limit, cursor);
                    List<JsonNode> entries = entriesOf(page);
                    cursor = nextCursor(page);
                    assertThat(entries.size()).as("page %s of limit %s", pages, limit)
                            .isEqualTo(cursor == null ? all.size() - walked.size() : limit);
                    walked.addAll(positions(entries));
                    pages++;
                } while (cursor != null);
                assertThat(walked).as("limit %s", limit).containsExactlyElementsOf(all);
                assertThat(pages).isEqualTo(Math.max(1, (all.size() + limit - 1) / limit));
            }
        }

        @Test
        void aCursorKeepsItsPlaceWhileNewEntriesArrive() {
            Scenario scenario = new Scenario();
            String project = "projectId=" + enc(scenario.project);
            List<Long> before = positions(scenario.entries());
            Api.Response first = audit(project + "&limit=5", OPERATOR);
            String cursor = first.text("nextCursor");

            members.tenantUser(scenario.project, "dave");
            List<Long> after = positions(projectEntries(scenario.project, before.size() + 2));
            assertThat(after).hasSize(before.size() + 2);

            List<Long> walked = new ArrayList<>(positions(entriesOf(first)));
            walked.addAll(walk(project + "&limit=5", cursor));
            assertThat(walked).containsExactlyElementsOf(after);
        }

        /**
         * A reader who pages through the log while commands keep coming must not skip an entry: once a page has
         * shown an entry, every earlier entry of the query is already there. (Timing-dependent: it takes a burst of
         * concurrent commands to show a gap, and a burst may by chance show none.)
         */
        @Test
        void aReaderPagingDuringABurstOfCommandsSkipsNothing() {
            String project = createProject();
            String query = "projectId=" + enc(project);
            List<List<Long>> walks = new ArrayList<>();
            concurrentKeys(project, 12, 5, () -> walks.add(walk(query + "&limit=5", null)));
            // (whether every command made it into the log at all is AuditCompletenessTest's question)
            List<Long> all = positions(awaitSettledEntries(query));
            for (List<Long> walked : walks) {
                if (!walked.isEmpty()) {
                    long last = walked.get(walked.size() - 1);
                    assertThat(walked).as("a walk up to position %s skipped entries (%s walks)", last, walks.size())
                            .containsExactlyElementsOf(all.stream().filter(position -> position <= last).toList());
                }
            }
        }

        @Test
        void aCursorThisServiceDidNotReturnIsRejected() {
            String project = createProject();
            members.addTenantUser(project, "alice");
            members.keyIdsFor(project, "alice", 2);
            String keyCursor = api.get("/api/v1/projects/" + project + "/keys?limit=1", OPERATOR).text("nextCursor");
            assertThat(keyCursor).isNotBlank();
            String base64 = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("audit:abc".getBytes(StandardCharsets.US_ASCII));

            for (String cursor : List.of("not-a-cursor", "!!!", keyCursor, base64, "")) {
                Api.Response page = audit("cursor=" + enc(cursor), OPERATOR);
                assertValidationFailed(page, "cursor");
            }
        }
    }

    @Nested
    class WhoSeesWhat {

        @Test
        void theOperatorSeesEveryProjectAndTheServiceKeys() {
            Scenario one = new Scenario();
            Scenario two = new Scenario();
            one.entries();
            two.entries();

            List<JsonNode> all = allEntries("from=" + enc(one.start), OPERATOR);

            Set<String> projects = new HashSet<>();
            all.forEach(entry -> projects.add(entry.path("projectId").asString("")));
            assertThat(projects).contains(one.project, two.project);
            assertThat(all).anySatisfy(entry -> {
                assertThat(entry.path("type").asString()).isEqualTo("ServiceKeyCreated");
                assertThat(entry.path("subject").asString()).isEqualTo("service-key/" + two.serviceKeyId);
                assertThat(entry.has("projectId")).isFalse();
            });
            assertThat(all.stream().filter(entry -> one.project.equals(entry.path("projectId").asString(null)))
                    .count()).isEqualTo(one.expected.size());
        }

        @Test
        void aTenantAdminSeesTheirProjectOnly() {
            Scenario scenario = new Scenario();
            Scenario other = new Scenario();
            List<JsonNode> project = scenario.entries();
            other.entries();

            List<JsonNode> seen = allEntries("from=" + enc(scenario.start), scenario.admin);
            assertThat(positions(seen)).containsExactlyElementsOf(positions(project));
            assertThat(positions(allEntries("projectId=" + enc(scenario.project), scenario.admin)))
                    .containsExactlyElementsOf(positions(project));
            assertThat(positions(allEntries("userId=bob&from=" + enc(scenario.start), scenario.admin)))
                    .containsExactlyElementsOf(positions(allEntries(
                            "projectId=" + enc(scenario.project) + "&userId=bob", OPERATOR)));

            assertProblem(audit("projectId=" + enc(other.project), scenario.admin), 404, "PROJECT_NOT_FOUND");
            assertProblem(audit("projectId=NO-SUCH-PROJECT", scenario.admin), 404, "PROJECT_NOT_FOUND");
            assertThat(entries("keyId=" + other.laptopKeyId, scenario.admin)).isEmpty();
            assertThat(entries("keyId=" + other.laptopKeyId, other.admin)).hasSize(3);
        }

        @Test
        void aServiceKeyMayNotReadTheAuditLog() {
            String service = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "audit-reader")).text("key");
            assertProblem(audit("", service), 403, "FORBIDDEN");
            assertProblem(audit("limit=1", service), 403, "FORBIDDEN");
            assertProblem(audit("", null), 401, "UNAUTHENTICATED");
        }

        /** Carol, a tenant user of the scenario's project, reading the whole log. */
        @Nested
        class ATenantUser {

            private Scenario scenario;
            private List<JsonNode> project;
            private List<JsonNode> seen;

            @BeforeEach
            void carolReadsTheLog() {
                scenario = new Scenario();
                project = scenario.entries();
                seen = allEntries("", scenario.carol);
            }

            private static boolean isAbout(JsonNode entry, Set<String> subjects) {
                return subjects.contains(entry.path("subject").asString());
            }

            private static boolean isBy(JsonNode entry, String userId) {
                return userId.equals(entry.path("actor").path("userId").asString(null));
            }

            @Test
            void aTenantUserSeesTheirOwnKeysAndTheirOwnActionsButNoOneElses() {
                Set<String> carolsKeys = scenario.carolsKeys();
                List<Long> ownKeys = positions(project.stream().filter(entry -> isAbout(entry, carolsKeys)).toList());
                List<Long> ownActions = positions(project.stream().filter(entry -> isBy(entry, "carol")).toList());
                assertThat(ownKeys).hasSize(4);
                assertThat(ownActions).hasSize(2);
                assertThat(positions(seen)).containsAll(ownKeys).containsAll(ownActions);
                for (JsonNode entry : seen) {
                    assertThat(entry.path("projectId").asString()).isEqualTo(scenario.project);
                    String subject = entry.path("subject").asString();
                    if (subject.startsWith("key/")) {
                        assertThat(carolsKeys).as("a tenant user sees no other member's key: %s", entry)
                                .contains(subject);
                    }
                }
                assertThat(entries("keyId=" + scenario.laptopKeyId, scenario.carol)).isEmpty();
                assertThat(entries("userId=bob", scenario.carol)).isEmpty();
                assertThat(types(entries("keyId=" + scenario.carolOwnKeyId, scenario.carol)))
                        .containsExactly("KeyCreated", "KeyDeleted");
                assertProblem(audit("projectId=NO-SUCH-PROJECT", scenario.carol), 404, "PROJECT_NOT_FOUND");
            }

            /**
             * API.md: a TENANT_USER sees "own keys and own actions" — not changes others made to their membership,
             * quota or usage (which are neither a key of theirs nor an action of theirs).
             */
            @Test
            void aTenantUserSeesNothingButTheirOwnKeysAndTheirOwnActions() {
                Set<String> carolsKeys = scenario.carolsKeys();
                List<String> expected = project.stream()
                        .filter(entry -> isAbout(entry, carolsKeys) || isBy(entry, "carol"))
                        .map(AuditApiTest::typeAndSubject).toList();
                assertThat(seen.stream().map(AuditApiTest::typeAndSubject).toList())
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Nested
    class CorrelationIds {

        /** The answer itself rather than an {@link Api.Response}, whose headers carry the correlation id. */
        private HttpResponse<String> raw(String method, String path, String key, String json, String correlationId) {
            try {
                return HttpClient.newHttpClient().send(correlatedRequest(method, path, key, json, correlationId)
                        .build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String correlationIdOf(HttpResponse<String> response) {
            return response.headers().firstValue("X-Correlation-Id").orElse(null);
        }

        @Test
        void theCorrelationIdOfTheRequestIsEchoedAndStampedOnEveryEntryItCaused() {
            String project = createProject();
            String admin = members.tenantAdmin(project, "admin");
            members.addTenantUser(project, "bob");
            String bobKeyId = members.keyIdFor(project, "bob");

            String given = "corr-" + UUID.randomUUID();
            HttpResponse<String> changed = raw("PUT", "/api/v1/projects/" + project + "/members/bob", admin,
                    Api.json("role", "TENANT_ADMIN"), given);
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(correlationIdOf(changed)).isEqualTo(given);

            HttpResponse<String> created = raw("POST", "/api/v1/projects/" + project + "/keys", admin,
                    Api.json("userId", "bob", "name", "no-header"), null);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String generated = correlationIdOf(created);
            assertThat(generated).isNotBlank();
            Api.SECRETS_SEEN.add(JsonMapper.builder().build().readTree(created.body()).path("key").asString());

            String unsafe = "not a plain id; " + "x".repeat(80);
            HttpResponse<String> replacedId = raw("PUT", "/api/v1/projects/" + project + "/members/carol", admin,
                    Api.json("role", "TENANT_USER"), unsafe);
            assertThat(replacedId.statusCode()).as(replacedId.body()).isEqualTo(200);
            String replacement = correlationIdOf(replacedId);
            assertThat(replacement).isNotBlank().isNotEqualTo(unsafe).matches("[A-Za-z0-9._-]{1,64}");

            HttpResponse<String> read = raw("GET", "/api/v1/projects/" + project + "/members", admin, null, "read-1");
            assertThat(correlationIdOf(read)).isEqualTo("read-1");

            List<JsonNode> entries = projectEntries(project, 9);
            Map<String, List<String>> byCorrelation = new LinkedHashMap<>();
            entries.forEach(entry -> byCorrelation.computeIfAbsent(entry.path("correlationId").asString(""),
                    id -> new ArrayList<>()).add(typeAndSubject(entry)));
            assertThat(byCorrelation.get(given)).containsExactly("KeyDeleted key/" + bobKeyId,
                    "MemberRoleChanged member/bob");
            assertThat(byCorrelation.get(generated)).hasSize(1)
                    .allMatch(entry -> entry.startsWith("KeyCreated key/"));
            assertThat(byCorrelation.get(replacement)).containsExactly("MemberJoined member/carol");
            assertThat(byCorrelation).doesNotContainKey(unsafe);
            // every request that changed something has its own id
            assertThat(byCorrelation.keySet()).doesNotContain("");
            assertThat(byCorrelation).hasSize(8);
        }
    }

    @Nested
    class Secrets {

        private static String sha256(String secret) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(secret.getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Test
        void noEntryHoldsAKeySecretOrItsHash() {
            new Scenario().entries();
            Set<String> secrets = new HashSet<>(Api.SECRETS_SEEN);
            secrets.add(OPERATOR);
            assertThat(secrets.size()).isGreaterThan(5);

            StringBuilder log = new StringBuilder();
            allEntries("", OPERATOR).forEach(entry -> log.append(entry).append('\n'));
            String text = log.toString();

            assertThat(text).doesNotContain("keyHash");
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret).doesNotContain(sha256(secret))
                        .doesNotContain(secret.substring(3, 35));
            }
        }
    }
}
