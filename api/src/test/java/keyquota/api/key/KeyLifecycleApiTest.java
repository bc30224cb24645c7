package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Keys beyond TWCC over HTTP: rename, disable and enable, roll with a grace, and scopes checked by verify. */
class KeyLifecycleApiTest extends ApiTest {

    private static final String VERIFY = "/api/v1/keys/verify";

    private String projectId;
    private String keys;

    @BeforeEach
    void project() {
        projectId = createProject();
        keys = "/api/v1/projects/" + projectId + "/keys";
        addMember(projectId, "bob", "TENANT_USER");
        addMember(projectId, "carol", "TENANT_USER");
    }

    private String serviceKey(String service) {
        Api.Response created = api.post("/api/v1/service-keys", OPERATOR,
                Api.json("name", "verifier-" + UUID.randomUUID(), "service", service));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.text("key");
    }

    private Api.Response verify(String caller, String json) {
        return api.post(VERIFY, caller, json);
    }

    private Api.Response post(String path, String key) {
        return api.post(path, key, "");
    }

    @Nested
    class Renaming {

        @Test
        void theOwnerRenamesAKeyAndTheListShowsIt() {
            Api.Response created = createKey(projectId, "bob");
            Api.Response renamed = api.send(api.request(keys + "/" + created.text("keyId"), created.text("key"))
                    .header("content-type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(Api.json("name", "ci runner"))));
            assertThat(renamed.status()).as(renamed.raw()).isEqualTo(200);
            assertThat(renamed.text("name")).isEqualTo("ci runner");
            assertThat(api.get(keys + "/" + created.text("keyId"), OPERATOR).text("name")).isEqualTo("ci runner");
        }

        @Test
        void aNameTooLongIsRefusedAndAnotherMembersKeyIsNotFound() {
            Api.Response created = createKey(projectId, "bob");
            Api.Response tooLong = patch(keys + "/" + created.text("keyId"), created.text("key"),
                    Api.json("name", "x".repeat(101)));
            assertProblem(tooLong, 400, "VALIDATION_FAILED");
            String carol = keyFor(projectId, "carol");
            assertProblem(patch(keys + "/" + created.text("keyId"), carol, Api.json("name", "mine")), 404,
                    "KEY_NOT_FOUND");
            assertThat(api.get(keys + "/" + created.text("keyId"), OPERATOR).text("name")).isEqualTo("key of bob");
        }

        private Api.Response patch(String path, String key, String json) {
            return api.send(api.request(path, key).header("content-type", "application/json")
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json)));
        }
    }

    @Nested
    class DisablingAndEnabling {

        @Test
        void aDisabledKeyIsRefusedListedAsDisabledAndWorksAgainWhenEnabled() {
            Api.Response created = createKey(projectId, "bob");
            String secret = created.text("key");
            String key = keys + "/" + created.text("keyId");
            String verifier = serviceKey("CCS");

            Api.Response disabled = post(key + "/disable", OPERATOR);
            assertThat(disabled.status()).as(disabled.raw()).isEqualTo(200);
            assertThat(disabled.text("status")).isEqualTo("DISABLED");
            assertThat(post(key + "/disable", OPERATOR).text("status")).isEqualTo("DISABLED");
            assertProblem(api.get("/api/v1/me", secret), 401, "KEY_DISABLED");
            JsonNode verified = verify(verifier, Api.json("key", secret)).body();
            assertThat(verified.path("valid").asBoolean()).isFalse();
            assertThat(verified.path("code").asString()).isEqualTo("DISABLED");
            assertThat(api.get(keys + "?status=DISABLED", OPERATOR).body().path("keys")).hasSize(1);
            assertThat(api.get(keys + "?status=ACTIVE&userId=bob", OPERATOR).body().path("keys")).isEmpty();
            assertProblem(api.post(key + "/extend", OPERATOR, Api.json("days", 5)), 409, "KEY_DISABLED");
            assertProblem(post(key + "/roll", OPERATOR), 409, "KEY_DISABLED");

            Api.Response enabled = post(key + "/enable", OPERATOR);
            assertThat(enabled.text("status")).isEqualTo("ACTIVE");
            assertThat(post(key + "/enable", OPERATOR).text("status")).isEqualTo("ACTIVE");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> api.get("/api/v1/me", secret).status() == 200);
        }

        @Test
        void aDisabledKeyStillCountsTowardTheLimit() {
            String first = createKey(projectId, "bob").text("keyId");
            for (int i = 0; i < 4; i++) {
                createKey(projectId, "bob");
            }
            assertThat(post(keys + "/" + first + "/disable", OPERATOR).status()).isEqualTo(200);
            assertProblem(api.post(keys, OPERATOR, Api.json("userId", "bob")), 409, "KEY_LIMIT_REACHED");
        }

        @Test
        void anExpiredKeyCannotBeEnabledAndListsAsExpired() {
            Api.Response created = createKey(projectId, "bob");
            String key = keys + "/" + created.text("keyId");
            post(key + "/disable", OPERATOR);
            clock.advance(Duration.ofDays(31));
            try {
                assertProblem(post(key + "/enable", OPERATOR), 409, "KEY_EXPIRED");
                assertThat(api.get(key, OPERATOR).text("status")).isEqualTo("EXPIRED");
                assertProblem(api.get("/api/v1/me", created.text("key")), 401, "KEY_EXPIRED");
                assertThat(verify(serviceKey("CCS"), Api.json("key", created.text("key"))).text("code"))
                        .isEqualTo("EXPIRED");
            } finally {
                clock.advance(Duration.ofDays(-31));
            }
        }

        @Test
        void theOwnerAndTenantAdminsMayOtherMembersMayNot() {
            String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
            Api.Response created = createKey(projectId, "bob");
            String key = keys + "/" + created.text("keyId");
            assertProblem(post(key + "/disable", keyFor(projectId, "carol")), 404, "KEY_NOT_FOUND");
            assertThat(post(key + "/disable", admin).status()).isEqualTo(200);
            assertThat(post(key + "/enable", created.text("key")).status()).isEqualTo(401);
            assertThat(post(key + "/enable", admin).status()).isEqualTo(200);
            assertProblem(post(keys + "/" + UUID.randomUUID() + "/disable", admin), 404, "KEY_NOT_FOUND");
        }
    }

    @Nested
    class Rolling {

        @Test
        void theNewKeyTakesTheOldOnesPlaceAndTheOldOneWorksThroughItsGrace() {
            Api.Response created = api.post(keys, OPERATOR, Api.json("userId", "bob", "name", "ci",
                    "services", List.of("CCS"), "allowedCidrs", List.of("10.0.0.0/8")));
            String old = keys + "/" + created.text("keyId");
            Instant before = clock.instant();

            Api.Response rolled = api.post(old + "/roll", created.text("key"), Api.json("graceHours", 2));
            assertThat(rolled.status()).as(rolled.raw()).isEqualTo(201);
            assertThat(rolled.text("key")).startsWith("kq_").isNotEqualTo(created.text("key"));
            assertThat(rolled.text("name")).isEqualTo("ci");
            assertThat(rolled.text("userId")).isEqualTo("bob");
            assertThat(rolled.text("expiresAt")).isEqualTo(created.text("expiresAt"));
            assertThat(rolled.body().path("services").get(0).asString()).isEqualTo("CCS");
            assertThat(rolled.body().path("allowedCidrs").get(0).asString()).isEqualTo("10.0.0.0/8");

            JsonNode oldKey = api.get(old, OPERATOR).body();
            assertThat(oldKey.path("replacedBy").asString()).isEqualTo(rolled.text("keyId"));
            Instant graceEnds = Instant.parse(oldKey.path("expiresAt").asString());
            assertThat(graceEnds).isBetween(before.plus(Duration.ofHours(2)).minusSeconds(2),
                    clock.instant().plus(Duration.ofHours(2)));
            assertThat(api.get("/api/v1/me", created.text("key")).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/me", rolled.text("key")).status()).isEqualTo(200);
            assertProblem(post(old + "/roll", OPERATOR), 409, "KEY_ROLLED");
            assertProblem(api.post(old + "/extend", OPERATOR, Api.json("days", 5)), 409, "KEY_ROLLED");
        }

        @Test
        void withoutABodyTheGraceIs24HoursAndZeroEndsTheOldKeyAtOnce() {
            Api.Response first = createKey(projectId, "bob");
            Api.Response rolled = post(keys + "/" + first.text("keyId") + "/roll", OPERATOR);
            assertThat(rolled.status()).as(rolled.raw()).isEqualTo(201);
            Instant graceEnds = Instant.parse(api.get(keys + "/" + first.text("keyId"), OPERATOR).text("expiresAt"));
            assertThat(Duration.between(clock.instant(), graceEnds)).isBetween(Duration.ofHours(23),
                    Duration.ofHours(24));

            Api.Response second = createKey(projectId, "bob");
            Api.Response now = api.post(keys + "/" + second.text("keyId") + "/roll", OPERATOR,
                    Api.json("graceHours", 0));
            assertThat(now.status()).isEqualTo(201);
            assertProblem(api.get("/api/v1/me", second.text("key")), 401, "KEY_EXPIRED");
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 169})
        void aGraceOutside0To168HoursIsRefused(int graceHours) {
            Api.Response created = createKey(projectId, "bob");
            assertProblem(api.post(keys + "/" + created.text("keyId") + "/roll", OPERATOR,
                    Api.json("graceHours", graceHours)), 400, "VALIDATION_FAILED");
            assertThat(api.get(keys + "/" + created.text("keyId"), OPERATOR).body().path("replacedBy").isNull())
                    .isTrue();
        }

        @Test
        void rollingAtTheKeyLimitWorks() {
            String first = createKey(projectId, "bob").text("keyId");
            for (int i = 0; i < 4; i++) {
                createKey(projectId, "bob");
            }
            assertThat(post(keys + "/" + first + "/roll", OPERATOR).status()).isEqualTo(201);
            assertThat(api.get(keys + "?userId=bob", OPERATOR).body().path("keys")).hasSize(6);
        }
    }

    @Nested
    class Scopes {

        @Test
        void verifyChecksServicesThenNetworksAfterEverythingElse() {
            Api.Response created = api.post(keys, OPERATOR, Api.json("userId", "bob", "services", List.of("CCS"),
                    "allowedCidrs", List.of("140.110.0.0/16", "2001:db8::/32")));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String secret = created.text("key");
            String operatorVerifies = OPERATOR;
            String ccs = serviceKey("CCS");
            String anyService = serviceKey(null);

            assertThat(code(ccs, Api.json("key", secret, "clientIp", "140.110.3.4"))).isEqualTo("VALID");
            assertThat(code(ccs, Api.json("key", secret, "clientIp", "2001:db8::9"))).isEqualTo("VALID");
            assertThat(code(ccs, Api.json("key", secret, "clientIp", "8.8.8.8"))).isEqualTo("IP_NOT_ALLOWED");
            assertThat(code(ccs, Api.json("key", secret))).isEqualTo("IP_NOT_ALLOWED");
            assertThat(code(anyService, Api.json("key", secret, "service", "VCS", "clientIp", "140.110.3.4")))
                    .isEqualTo("SERVICE_NOT_ALLOWED");
            assertThat(code(operatorVerifies, Api.json("key", secret, "clientIp", "140.110.3.4")))
                    .isEqualTo("SERVICE_NOT_ALLOWED");
            assertThat(code(anyService, Api.json("key", secret, "service", "CCS", "clientIp", "140.110.3.4")))
                    .isEqualTo("VALID");
            // a scoped key's own calls to keyquota are not limited
            assertThat(api.get("/api/v1/me", secret).status()).isEqualTo(200);
        }

        @Test
        void badScopesAndClientAddressesAreRefused() {
            for (String json : List.of(
                    Api.json("userId", "bob", "services", List.of()),
                    Api.json("userId", "bob", "services", List.of("CCS", "CCS")),
                    Api.json("userId", "bob", "services", List.of("XYZ")),
                    Api.json("userId", "bob", "allowedCidrs", List.of("10.0.0.1/8")),
                    Api.json("userId", "bob", "allowedCidrs", List.of("not-a-network")),
                    Api.json("userId", "bob", "allowedCidrs", List.of()))) {
                Api.Response refused = api.post(keys, OPERATOR, json);
                assertProblem(refused, 400, "VALIDATION_FAILED");
                assertThat(refused.raw()).containsAnyOf("services", "allowedCidrs");
            }
            assertThat(api.get(keys + "?userId=bob", OPERATOR).body().path("keys")).isEmpty();
            String secret = keyFor(projectId, "bob");
            assertProblem(verify(serviceKey("CCS"), Api.json("key", secret, "clientIp", "10.0.0.300")), 400,
                    "VALIDATION_FAILED");
            assertProblem(verify(serviceKey("CCS"), Api.json("key", secret, "service", "VCS")), 403, "FORBIDDEN");
        }

        private String code(String caller, String json) {
            Api.Response verified = verify(caller, json);
            assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
            return verified.text("code");
        }
    }

    @Nested
    class LastUsedAndExpiry {

        @org.springframework.beans.factory.annotation.Autowired
        keyquota.application.auth.LastUseRecorder lastUses;

        @Test
        void ownCallsAndVerifiesAreRecordedToTheMinuteAfterAFlush() {
            Api.Response own = createKey(projectId, "bob");
            Api.Response verified = createKey(projectId, "bob");
            Api.Response idle = createKey(projectId, "bob");
            assertThat(api.get("/api/v1/me", own.text("key")).status()).isEqualTo(200);
            String vcs = serviceKey("VCS");
            assertThat(verify(vcs, Api.json("key", verified.text("key"))).text("code")).isEqualTo("VALID");
            Instant minute = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);

            lastUses.flush();

            JsonNode ownKey = api.get(keys + "/" + own.text("keyId"), OPERATOR).body();
            assertThat(Instant.parse(ownKey.path("lastUsedAt").asString())).isBetween(minute,
                    minute.plus(Duration.ofMinutes(1)));
            assertThat(ownKey.path("lastUsedAt").asString()).endsWith(":00Z");
            assertThat(ownKey.path("lastUsedBy").asString()).isEqualTo("API");
            assertThat(api.get(keys + "/" + verified.text("keyId"), OPERATOR).text("lastUsedBy")).isEqualTo("VCS");
            assertThat(api.get(keys + "/" + idle.text("keyId"), OPERATOR).body().path("lastUsedBy").isNull())
                    .isTrue();
        }

        @Test
        void idleAndExpiringKeysAreFilteredByDays() {
            Api.Response used = createKey(projectId, "bob");
            Api.Response idle = createKey(projectId, "bob");
            Api.Response soon = api.post(keys, OPERATOR, Api.json("userId", "bob", "validDays", 3));
            clock.advance(Duration.ofDays(2));
            try {
                assertThat(api.get("/api/v1/me", used.text("key")).status()).isEqualTo(200);
                lastUses.flush();
                assertThat(ids(api.get(keys + "?idleDays=1", OPERATOR))).contains(idle.text("keyId"),
                        soon.text("keyId")).doesNotContain(used.text("keyId"));
                assertThat(ids(api.get(keys + "?idleDays=3", OPERATOR))).isEmpty();
                assertThat(ids(api.get(keys + "?expiringWithinDays=7", OPERATOR))).containsExactly(soon.text("keyId"));
                assertProblem(api.get(keys + "?idleDays=0", OPERATOR), 400, "VALIDATION_FAILED");
                assertProblem(api.get(keys + "?expiringWithinDays=366", OPERATOR), 400, "VALIDATION_FAILED");
            } finally {
                clock.advance(Duration.ofDays(-2));
            }
        }

        @Test
        void answersToAKeyExpiringWithinAWeekSayWhen() {
            Api.Response soon = api.post(keys, OPERATOR, Api.json("userId", "bob", "validDays", 6));
            Api.Response later = api.post(keys, OPERATOR, Api.json("userId", "bob", "validDays", 8));
            java.net.http.HttpResponse<String> warned = raw(soon.text("key"));
            assertThat(warned.headers().firstValue("Keyquota-Key-Expires")).hasValue(soon.text("expiresAt"));
            assertThat(raw(later.text("key")).headers().firstValue("Keyquota-Key-Expires")).isEmpty();
            assertThat(raw(OPERATOR).headers().firstValue("Keyquota-Key-Expires")).isEmpty();
        }

        private java.net.http.HttpResponse<String> raw(String key) {
            try {
                return java.net.http.HttpClient.newHttpClient().send(api.request(keys, key).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        private List<String> ids(Api.Response list) {
            assertThat(list.status()).as(list.raw()).isEqualTo(200);
            return list.body().path("keys").valueStream().map(key -> key.path("keyId").asString()).toList();
        }
    }
}
