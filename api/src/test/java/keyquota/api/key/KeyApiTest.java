package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.Members;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

/** /api/v1/projects/{id}/keys: creating, listing, getting, extending and deleting a member's keys. */
class KeyApiTest extends ApiTest {

    private static final String[] LISTED_FIELDS =
            {"keyId", "name", "maskedKey", "projectId", "userId", "role", "createdAt", "expiresAt", "status",
                    "lastUsedAt", "lastUsedBy", "services", "allowedCidrs", "replacedBy"};

    private final Members members = new Members(this);

    /** The project the test works in; every test starts with one of its own. */
    private String project;

    @BeforeEach
    void newProject() {
        project = createProject();
    }

    private static String keys(String project) {
        return "/api/v1/projects/" + project + "/keys";
    }

    private static String key(String project, String keyId) {
        return keys(project) + "/" + keyId;
    }

    private Api.Response create(String project, String caller, Object... fieldsAndValues) {
        return api.post(keys(project), caller, Api.json(fieldsAndValues));
    }

    private Api.Response createFor(String project, String userId, int validDays) {
        Api.Response created = create(project, OPERATOR, "userId", userId, "validDays", validDays);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created;
    }

    private Api.Response list(String project, String caller, String query) {
        Api.Response list = api.get(keys(project) + query, caller);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list;
    }

    private List<String> listedIds(String project, String caller, String query) {
        return list(project, caller, query).body().path("keys").findValuesAsString("keyId");
    }

    private Api.Response extend(String project, String keyId, String caller, int days) {
        return api.post(key(project, keyId) + "/extend", caller, Api.json("days", days));
    }

    /** The key's expiry as the operator reads it now. */
    private String expiryOf(String project, String keyId) {
        return api.get(key(project, keyId), OPERATOR).text("expiresAt");
    }

    /** GET /me with the secret: 200 while the key is in use, 401 once it is gone. */
    private Api.Response me(String secret) {
        return api.get("/api/v1/me", secret);
    }

    private static Duration validity(Api.Response key) {
        return Duration.between(Instant.parse(key.text("createdAt")), Instant.parse(key.text("expiresAt")));
    }

    @Nested
    class Creating {

        @Test
        void aMemberCreatesTheirOwnKeyValidForThirtyDaysByDefault() {
            String bob = members.tenantUser(project, "bob");

            Api.Response created = create(project, bob, "name", "laptop");

            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            assertThat(created.body().propertyNames()).containsExactlyInAnyOrder(
                    "keyId", "name", "maskedKey", "projectId", "userId", "role", "createdAt", "expiresAt", "status",
                    "lastUsedAt", "lastUsedBy", "services", "allowedCidrs", "replacedBy", "key");
            assertThat(UUID.fromString(created.text("keyId"))).isNotNull();
            assertThat(created.text("name")).isEqualTo("laptop");
            assertThat(created.text("projectId")).isEqualTo(project);
            assertThat(created.text("userId")).isEqualTo("bob");
            assertThat(created.text("role")).isEqualTo("TENANT_USER");
            assertThat(created.text("status")).isEqualTo("ACTIVE");
            assertThat(created.text("key")).matches("kq_[0-9A-Za-z]{38}");
            assertThat(created.text("maskedKey")).isEqualTo(
                    created.text("key").substring(0, 7) + "…" + created.text("key").substring(37));
            assertThat(validity(created)).isEqualTo(Duration.ofDays(30));
            assertThat(Duration.between(Instant.parse(created.text("createdAt")), clock.instant()).abs())
                    .isLessThan(Duration.ofMinutes(1));
        }

        @Test
        void aMemberMayNameThemselvesAsTheOwner() {
            String bob = members.tenantUser(project, "bob");

            Api.Response created = create(project, bob, "userId", "bob");

            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            assertThat(created.text("userId")).isEqualTo("bob");
        }

        @Test
        void aTenantAdminCreatesAKeyForAnotherMemberThatCarriesThatMembersIdentity() {
            String admin = members.tenantAdmin(project, "alice");
            members.addTenantUser(project, "bob");

            Api.Response created = create(project, admin, "userId", "bob", "name", "for bob");

            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            assertThat(created.text("userId")).isEqualTo("bob");
            assertThat(created.text("role")).isEqualTo("TENANT_USER");
            Api.Response me = me(created.text("key"));
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.text("userId")).isEqualTo("bob");
            assertThat(me.text("role")).isEqualTo("TENANT_USER");
            assertThat(me.text("keyId")).isEqualTo(created.text("keyId"));
        }

        @Test
        void theOperatorCreatesAKeyCarryingTheMembersCurrentRole() {
            members.addTenantAdmin(project, "alice");

            Api.Response created = create(project, OPERATOR, "userId", "alice");

            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            assertThat(created.text("userId")).isEqualTo("alice");
            assertThat(created.text("role")).isEqualTo("TENANT_ADMIN");
        }

        @Test
        void aTenantUserMayNotCreateAKeyForAnotherMember() {
            String bob = members.tenantUser(project, "bob");
            members.addTenantUser(project, "carol");

            assertProblem(create(project, bob, "userId", "carol"), 403, "FORBIDDEN");
            assertThat(listedIds(project, OPERATOR, "?userId=carol")).isEmpty();
        }

        @Test
        void theOperatorMustSayForWhomTheKeyIs() {
            assertValidationFailed(create(project, OPERATOR, "name", "orphan"), "userId");
            assertThat(listedIds(project, OPERATOR, "")).isEmpty();
        }

        @Test
        void aKeyForSomeoneWhoIsNotAMemberIsMemberNotFound() {
            String admin = members.tenantAdmin(project, "alice");

            assertProblem(create(project, OPERATOR, "userId", "ghost"), 404, "MEMBER_NOT_FOUND");
            assertProblem(create(project, admin, "userId", "ghost"), 404, "MEMBER_NOT_FOUND");
        }

        @Test
        void aKeyInAnUnknownProjectOrAnotherMembersProjectIsProjectNotFound() {
            String other = createProject();
            String admin = members.tenantAdmin(other, "alice");
            members.addTenantAdmin(project, "alice");

            assertProblem(create("NO-SUCH-PROJECT-4", OPERATOR, "userId", "alice"), 404, "PROJECT_NOT_FOUND");
            assertProblem(create(project, admin, "userId", "alice"), 404, "PROJECT_NOT_FOUND");
            assertThat(listedIds(project, OPERATOR, "")).isEmpty();
        }

        @Test
        void validDaysOfOneAndOfThreeHundredSixtyFiveAreAccepted() {
            members.addTenantUser(project, "bob");

            assertThat(validity(createFor(project, "bob", 1))).isEqualTo(Duration.ofDays(1));
            assertThat(validity(createFor(project, "bob", 365))).isEqualTo(Duration.ofDays(365));
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 366, Integer.MAX_VALUE, Integer.MIN_VALUE})
        void validDaysOutsideOneToThreeHundredSixtyFiveAreRejected(int validDays) {
            members.addTenantUser(project, "bob");

            assertValidationFailed(create(project, OPERATOR, "userId", "bob", "validDays", validDays), "validDays");
            assertThat(listedIds(project, OPERATOR, "")).isEmpty();
        }

        @Test
        void aNameLongerThanOneHundredCharactersIsRejected() {
            members.addTenantUser(project, "bob");

            assertValidationFailed(create(project, OPERATOR, "userId", "bob", "name", "n".repeat(101)), "name");
            assertThat(create(project, OPERATOR, "userId", "bob", "name", "n".repeat(100)).status()).isEqualTo(201);
        }
    }

    /** A member holds at most five active keys; expired and deleted ones do not count. */
    @Nested
    class TheLimitOfFiveActiveKeys {

        @Test
        void theSixthActiveKeyOfAMemberIsRefusedAndNotCreated() {
            members.addTenantUser(project, "bob");
            members.addTenantUser(project, "carol");
            members.keyIdsFor(project, "bob", 5);

            assertProblem(create(project, OPERATOR, "userId", "bob"), 409, "KEY_LIMIT_REACHED");

            assertThat(listedIds(project, OPERATOR, "?userId=bob")).hasSize(5);
            assertThat(create(project, OPERATOR, "userId", "carol").status()).as("the limit is per member")
                    .isEqualTo(201);
        }

        @Test
        void aMemberCreatingTheirOwnSixthKeyIsRefused() {
            String bob = members.tenantUser(project, "bob");
            for (int i = 0; i < 4; i++) {
                assertThat(create(project, bob, "name", "k" + i).status()).isEqualTo(201);
            }

            assertProblem(create(project, bob, "name", "sixth"), 409, "KEY_LIMIT_REACHED");
        }

        @Test
        void anExpiredKeyDoesNotCountTowardsTheLimit() {
            members.addTenantUser(project, "bob");
            createFor(project, "bob", 1);
            for (int i = 0; i < 4; i++) {
                createFor(project, "bob", 30);
            }
            assertProblem(create(project, OPERATOR, "userId", "bob"), 409, "KEY_LIMIT_REACHED");

            clock.advance(Duration.ofDays(2));

            assertThat(create(project, OPERATOR, "userId", "bob").status()).isEqualTo(201);
            assertProblem(create(project, OPERATOR, "userId", "bob"), 409, "KEY_LIMIT_REACHED");
            assertThat(listedIds(project, OPERATOR, "?userId=bob")).hasSize(6);
            assertThat(listedIds(project, OPERATOR, "?userId=bob&status=ACTIVE")).hasSize(5);
        }

        @Test
        void aDeletedKeyDoesNotCountTowardsTheLimit() {
            members.addTenantUser(project, "bob");
            String first = members.keyIdsFor(project, "bob", 5).get(0);

            assertThat(api.delete(key(project, first), OPERATOR).status()).isEqualTo(204);

            assertThat(create(project, OPERATOR, "userId", "bob").status()).isEqualTo(201);
        }
    }

    /** What a listing holds, and whose keys each role sees in it. */
    @Nested
    class Listing {

        @Test
        void aListedKeyHasItsFieldsAndNoSecret() {
            members.addTenantUser(project, "bob");
            Api.Response created = createKey(project, "bob");

            Api.Response list = list(project, OPERATOR, "");

            assertThat(list.body().propertyNames()).containsExactlyInAnyOrder("keys", "nextCursor");
            assertThat(list.body().path("nextCursor").isNull()).isTrue();
            JsonNode listed = list.body().path("keys").get(0);
            assertThat(listed.propertyNames()).containsExactlyInAnyOrder(LISTED_FIELDS);
            for (String field : LISTED_FIELDS) {
                assertThat(listed.path(field).asString()).as(field).isEqualTo(created.text(field));
            }
            assertThat(list.raw()).doesNotContain(created.text("key"));
        }

        @Test
        void deletedKeysAreNotListed() {
            members.addTenantUser(project, "bob");
            String kept = members.keyIdFor(project, "bob");
            String deleted = members.keyIdFor(project, "bob");

            assertThat(api.delete(key(project, deleted), OPERATOR).status()).isEqualTo(204);

            assertThat(listedIds(project, OPERATOR, "")).containsExactly(kept);
            assertThat(listedIds(project, OPERATOR, "?status=ACTIVE")).containsExactly(kept);
        }

        @Test
        void aTenantUserListsOnlyTheirOwnKeys() {
            String bob = members.tenantUser(project, "bob");
            String bobsOwn = listedIds(project, OPERATOR, "?userId=bob").get(0);
            members.addTenantUser(project, "carol");
            createKey(project, "carol");

            assertThat(listedIds(project, bob, "")).containsExactly(bobsOwn);
            assertThat(listedIds(project, bob, "?userId=carol")).isEmpty();
            assertThat(listedIds(project, bob, "?userId=bob")).containsExactly(bobsOwn);
        }

        @Test
        void aTenantAdminListsEveryMembersKeys() {
            String admin = members.tenantAdmin(project, "alice");
            members.addTenantUser(project, "carol");
            createKey(project, "carol");

            assertThat(list(project, admin, "").body().path("keys").findValuesAsString("userId"))
                    .containsExactlyInAnyOrder("alice", "carol");
        }

        @Test
        void aMemberOfAnotherProjectCannotListItsKeys() {
            String other = createProject();
            String admin = members.tenantAdmin(other, "alice");

            assertProblem(api.get(keys(project), admin), 404, "PROJECT_NOT_FOUND");
            assertProblem(api.get(keys("NO-SUCH-PROJECT-5"), OPERATOR), 404, "PROJECT_NOT_FOUND");
        }
    }

    @Nested
    class Filtering {

        @Test
        void theListFiltersByUser() {
            members.addTenantUser(project, "bob");
            members.addTenantUser(project, "carol");
            String bobs = members.keyIdFor(project, "bob");
            String carols = members.keyIdFor(project, "carol");

            assertThat(listedIds(project, OPERATOR, "")).containsExactlyInAnyOrder(bobs, carols);
            assertThat(listedIds(project, OPERATOR, "?userId=bob")).containsExactly(bobs);
            assertThat(listedIds(project, OPERATOR, "?userId=carol")).containsExactly(carols);
            assertThat(listedIds(project, OPERATOR, "?userId=nobody")).isEmpty();
        }

        @Test
        void theListFiltersByStatus() {
            members.addTenantUser(project, "bob");
            String shortLived = createFor(project, "bob", 1).text("keyId");
            String longLived = createFor(project, "bob", 30).text("keyId");

            clock.advance(Duration.ofDays(2));

            Api.Response expired = list(project, OPERATOR, "?status=EXPIRED");
            assertThat(expired.body().path("keys").findValuesAsString("keyId")).containsExactly(shortLived);
            assertThat(expired.body().path("keys").findValuesAsString("status")).containsExactly("EXPIRED");
            Api.Response active = list(project, OPERATOR, "?status=ACTIVE");
            assertThat(active.body().path("keys").findValuesAsString("keyId")).containsExactly(longLived);
            assertThat(active.body().path("keys").findValuesAsString("status")).containsExactly("ACTIVE");
            assertThat(listedIds(project, OPERATOR, "")).containsExactlyInAnyOrder(shortLived, longLived);
            assertThat(listedIds(project, OPERATOR, "?userId=bob&status=EXPIRED")).containsExactly(shortLived);
        }

        @ParameterizedTest
        @ValueSource(strings = {"?status=DELETED", "?status=ACTIVE,EXPIRED", "?status=0"})
        void anUnknownStatusIsRejected(String query) {
            assertValidationFailed(api.get(keys(project) + query, OPERATOR), "status");
        }
    }

    @Nested
    class PagingWithLimitsAndCursors {

        @ParameterizedTest
        @ValueSource(strings = {"?limit=0", "?limit=101", "?limit=-1", "?limit=abc", "?limit=1.5",
                "?limit=99999999999"})
        void aLimitOutsideOneToOneHundredIsRejected(String query) {
            assertValidationFailed(api.get(keys(project) + query, OPERATOR), "limit");
        }

        @Test
        void limitsOfOneAndOfOneHundredAreAccepted() {
            members.addTenantUser(project, "bob");
            members.keyIdsFor(project, "bob", 2);

            Api.Response one = list(project, OPERATOR, "?limit=1");
            assertThat(one.body().path("keys").size()).isEqualTo(1);
            assertThat(one.text("nextCursor")).isNotEmpty();
            Api.Response hundred = list(project, OPERATOR, "?limit=100");
            assertThat(hundred.body().path("keys").size()).isEqualTo(2);
            assertThat(hundred.body().path("nextCursor").isNull()).isTrue();
        }

        @Test
        void cursorPagesWalkEveryKeyOnceInOrder() {
            List<String> created = new ArrayList<>();
            for (String user : List.of("u1", "u2", "u3")) {
                members.addTenantUser(project, user);
                created.addAll(members.keyIdsFor(project, user, 4));
            }
            List<String> all = listedIds(project, OPERATOR, "?limit=100");
            assertThat(all).containsExactlyInAnyOrderElementsOf(created);

            assertThat(walk(project, "limit=5")).containsExactlyElementsOf(all);
            assertThat(walk(project, "limit=4")).containsExactlyElementsOf(all);
            assertThat(walk(project, "limit=1")).containsExactlyElementsOf(all);
            assertThat(walk(project, "limit=3&userId=u2"))
                    .containsExactlyElementsOf(all.stream().filter(created.subList(4, 8)::contains).toList());
        }

        @Test
        void aPageOfExactlyTheRemainingKeysHasNoNextCursor() {
            members.addTenantUser(project, "bob");
            members.keyIdsFor(project, "bob", 4);

            Api.Response first = list(project, OPERATOR, "?limit=2");
            assertThat(first.body().path("keys").size()).isEqualTo(2);
            Api.Response second = list(project, OPERATOR, "?limit=2&cursor=" + first.text("nextCursor"));
            assertThat(second.body().path("keys").size()).isEqualTo(2);
            assertThat(second.body().path("nextCursor").isNull()).as(second.raw()).isTrue();
        }

        @Test
        void aCursorStillWorksAfterTheKeyItPointsAtIsDeleted() {
            members.addTenantUser(project, "bob");
            members.keyIdsFor(project, "bob", 4);
            List<String> all = listedIds(project, OPERATOR, "");
            Api.Response first = list(project, OPERATOR, "?limit=2");

            assertThat(api.delete(key(project, all.get(1)), OPERATOR).status()).isEqualTo(204);

            Api.Response second = list(project, OPERATOR, "?limit=2&cursor=" + first.text("nextCursor"));
            assertThat(second.body().path("keys").findValuesAsString("keyId"))
                    .containsExactlyElementsOf(all.subList(2, 4));
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-a-cursor!", "Z2FyYmFnZQ", "MSwyLDM", "AAAA", "%E4%B8%AD"})
        void aCursorThisServiceDidNotIssueIsRejected(String cursor) {
            assertValidationFailed(api.get(keys(project) + "?cursor=" + cursor, OPERATOR), "cursor");
        }

        @Test
        void aForgedCursorOutsideTheRangeOfTimesIsRejected() {
            for (String plain : List.of("31556889864403199,0," + UUID.randomUUID(),
                    "-31557014167219200,0," + UUID.randomUUID(),
                    "9999999999999,0," + UUID.randomUUID(),
                    "-99999999999,0," + UUID.randomUUID())) {
                String cursor = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(plain.getBytes(StandardCharsets.US_ASCII));

                assertThat(api.get(keys(project) + "?cursor=" + cursor, OPERATOR))
                        .as(plain).satisfies(response -> assertValidationFailed(response, "cursor"));
            }
        }

        /** Every key id of the listing, page by page, asserting each page holds at most the limit. */
        private List<String> walk(String project, String query) {
            int limit = Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
            List<String> seen = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < 50; page++) {
                Api.Response response = list(project, OPERATOR,
                        "?" + query + (cursor == null ? "" : "&cursor=" + cursor));
                List<String> ids = response.body().path("keys").findValuesAsString("keyId");
                assertThat(ids.size()).isBetween(1, limit);
                seen.addAll(ids);
                if (response.body().path("nextCursor").isNull()) {
                    assertThat(seen).doesNotHaveDuplicates();
                    return seen;
                }
                assertThat(ids).hasSize(limit);
                cursor = response.text("nextCursor");
            }
            throw new AssertionError("pagination did not end");
        }
    }

    @Nested
    class GettingOne {

        @Test
        void theOwnerATenantAdminAndTheOperatorGetAKey() {
            String admin = members.tenantAdmin(project, "alice");
            String bob = members.tenantUser(project, "bob");
            Api.Response created = createKey(project, "bob");

            for (String caller : List.of(bob, admin, OPERATOR)) {
                Api.Response fetched = api.get(key(project, created.text("keyId")), caller);
                assertThat(fetched.status()).as(fetched.raw()).isEqualTo(200);
                assertThat(fetched.body().propertyNames()).containsExactlyInAnyOrder(LISTED_FIELDS);
                for (String field : LISTED_FIELDS) {
                    assertThat(fetched.text(field)).as(field).isEqualTo(created.text(field));
                }
            }
        }

        @Test
        void anotherTenantUsersKeyIsNotFound() {
            String bob = members.tenantUser(project, "bob");
            members.addTenantUser(project, "carol");
            String carols = members.keyIdFor(project, "carol");

            assertProblem(api.get(key(project, carols), bob), 404, "KEY_NOT_FOUND");
        }

        @Test
        void anUnknownOrMalformedKeyIdIsKeyNotFound() {
            assertProblem(api.get(key(project, UUID.randomUUID().toString()), OPERATOR), 404, "KEY_NOT_FOUND");
            assertProblem(api.get(key(project, "not-a-uuid"), OPERATOR), 404, "KEY_NOT_FOUND");
            assertProblem(api.get(key(project, "12345"), OPERATOR), 404, "KEY_NOT_FOUND");
        }

        @Test
        void aKeyOfAnotherProjectIsNotFoundUnderThisProject() {
            String other = createProject();
            members.addTenantUser(other, "bob");
            String bobs = members.keyIdFor(other, "bob");

            assertProblem(api.get(key(project, bobs), OPERATOR), 404, "KEY_NOT_FOUND");
            assertProblem(api.delete(key(project, bobs), OPERATOR), 404, "KEY_NOT_FOUND");
            assertThat(listedIds(other, OPERATOR, "")).containsExactly(bobs);
        }
    }

    @Nested
    class Extending {

        @Test
        void extendingAddsTheDaysToTheCurrentExpiry() {
            String admin = members.tenantAdmin(project, "alice");
            String bob = members.tenantUser(project, "bob");
            Api.Response created = createFor(project, "bob", 10);
            Instant expiry = Instant.parse(created.text("expiresAt"));
            String keyId = created.text("keyId");

            Api.Response byOwner = extend(project, keyId, bob, 5);
            assertThat(byOwner.status()).as(byOwner.raw()).isEqualTo(200);
            assertThat(byOwner.body().propertyNames()).containsExactlyInAnyOrder(LISTED_FIELDS);
            assertThat(Instant.parse(byOwner.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(5)));
            assertThat(byOwner.text("createdAt")).isEqualTo(created.text("createdAt"));

            Api.Response byAdmin = extend(project, keyId, admin, 1);
            assertThat(Instant.parse(byAdmin.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(6)));

            Api.Response byOperator = extend(project, keyId, OPERATOR, 365);
            assertThat(Instant.parse(byOperator.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(371)));
        }

        @Test
        void anExpiredKeyCannotBeExtended() {
            members.addTenantUser(project, "bob");
            Api.Response created = createFor(project, "bob", 1);
            clock.advance(Duration.ofDays(2));

            Api.Response refused = extend(project, created.text("keyId"), OPERATOR, 5);

            assertProblem(refused, 409, "KEY_EXPIRED");
            assertThat(expiryOf(project, created.text("keyId"))).isEqualTo(created.text("expiresAt"));
        }

        @Test
        void anExpiryMoreThanSevenHundredThirtyDaysFromNowIsRefused() {
            members.addTenantUser(project, "bob");
            Api.Response created = createFor(project, "bob", 365);
            String keyId = created.text("keyId");
            Instant expiry = Instant.parse(created.text("expiresAt"));

            Api.Response upToTheLimit = extend(project, keyId, OPERATOR, 365);
            assertThat(upToTheLimit.status()).as(upToTheLimit.raw()).isEqualTo(200);
            assertThat(Instant.parse(upToTheLimit.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(365)));

            assertProblem(extend(project, keyId, OPERATOR, 2), 409, "EXPIRY_TOO_FAR");
            assertThat(expiryOf(project, keyId)).isEqualTo(upToTheLimit.text("expiresAt"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"days\":0}", "{\"days\":-1}", "{\"days\":366}", "{}", "{\"days\":null}"})
        void daysOutsideOneToThreeHundredSixtyFiveAreRejected(String body) {
            members.addTenantUser(project, "bob");
            Api.Response created = createKey(project, "bob");

            assertValidationFailed(api.post(key(project, created.text("keyId")) + "/extend", OPERATOR, body), "days");
            assertThat(expiryOf(project, created.text("keyId"))).isEqualTo(created.text("expiresAt"));
        }

        @Test
        void extendingAKeyTheCallerMayNotSeeIsNotFound() {
            String bob = members.tenantUser(project, "bob");
            members.addTenantUser(project, "carol");
            Api.Response carols = createKey(project, "carol");

            assertProblem(extend(project, carols.text("keyId"), bob, 5), 404, "KEY_NOT_FOUND");
            assertProblem(extend(project, UUID.randomUUID().toString(), OPERATOR, 5), 404, "KEY_NOT_FOUND");
            assertThat(expiryOf(project, carols.text("keyId"))).isEqualTo(carols.text("expiresAt"));
        }
    }

    @Nested
    class DeletingOne {

        @Test
        void deletingAKeyTwiceIsNotFoundTheSecondTime() {
            members.addTenantUser(project, "bob");
            Api.Response created = createKey(project, "bob");

            Api.Response deleted = api.delete(key(project, created.text("keyId")), OPERATOR);

            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.raw()).isEmpty();
            assertProblem(api.delete(key(project, created.text("keyId")), OPERATOR), 404, "KEY_NOT_FOUND");
            assertProblem(api.get(key(project, created.text("keyId")), OPERATOR), 404, "KEY_NOT_FOUND");
            assertProblem(me(created.text("key")), 401, "UNAUTHENTICATED");
        }

        @Test
        void theOwnerAndATenantAdminDeleteKeys() {
            String admin = members.tenantAdmin(project, "alice");
            String bob = members.tenantUser(project, "bob");
            String first = members.keyIdFor(project, "bob");
            String second = members.keyIdFor(project, "bob");

            assertThat(api.delete(key(project, first), bob).status()).isEqualTo(204);
            assertThat(api.delete(key(project, second), admin).status()).isEqualTo(204);

            assertThat(listedIds(project, OPERATOR, "?userId=bob")).hasSize(1);
        }

        @Test
        void aTenantUserDeletingAnotherMembersKeyGetsNotFoundAndTheKeySurvives() {
            String bob = members.tenantUser(project, "bob");
            members.addTenantUser(project, "carol");
            Api.Response carols = createKey(project, "carol");

            assertProblem(api.delete(key(project, carols.text("keyId")), bob), 404, "KEY_NOT_FOUND");

            assertThat(listedIds(project, OPERATOR, "?userId=carol")).containsExactly(carols.text("keyId"));
            assertThat(me(carols.text("key")).status()).isEqualTo(200);
        }
    }

    /** POST /keys/delete: one result a key id, in the order asked; what the caller may not see is NOT_FOUND. */
    @Nested
    class DeletingMany {

        private Api.Response bulkDelete(String project, String caller, String body) {
            return api.post(keys(project) + "/delete", caller, body);
        }

        private static String keyIds(List<String> keyIds) {
            return Api.json("keyIds", keyIds);
        }

        @Test
        void bulkDeleteDeletesWhatTheCallerMaySeeAndReportsTheRestNotFound() {
            String bob = members.tenantUser(project, "bob");
            members.addTenantUser(project, "carol");
            Api.Response first = createKey(project, "bob");
            Api.Response second = createKey(project, "bob");
            Api.Response carols = createKey(project, "carol");
            String unknown = UUID.randomUUID().toString();

            Api.Response response = bulkDelete(project, bob, keyIds(List.of(first.text("keyId"),
                    carols.text("keyId"), unknown, second.text("keyId"))));

            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            assertThat(response.body().propertyNames()).containsExactly("results");
            assertThat(results(response)).containsExactly(
                    first.text("keyId") + "=DELETED",
                    carols.text("keyId") + "=NOT_FOUND",
                    unknown + "=NOT_FOUND",
                    second.text("keyId") + "=DELETED");
            assertProblem(me(first.text("key")), 401, "UNAUTHENTICATED");
            assertProblem(me(second.text("key")), 401, "UNAUTHENTICATED");
            assertThat(me(carols.text("key")).status()).isEqualTo(200);
            assertThat(listedIds(project, OPERATOR, "?userId=carol")).containsExactly(carols.text("keyId"));
        }

        @Test
        void bulkDeleteByATenantAdminDeletesOtherMembersKeysAndReportsAlreadyDeletedOnesNotFound() {
            String admin = members.tenantAdmin(project, "alice");
            members.addTenantUser(project, "carol");
            String carols = members.keyIdFor(project, "carol");

            Api.Response firstTime = bulkDelete(project, admin, keyIds(List.of(carols)));
            Api.Response secondTime = bulkDelete(project, admin, keyIds(List.of(carols)));

            assertThat(results(firstTime)).containsExactly(carols + "=DELETED");
            assertThat(results(secondTime)).containsExactly(carols + "=NOT_FOUND");
            assertThat(listedIds(project, OPERATOR, "?userId=carol")).isEmpty();
        }

        @Test
        void bulkDeleteOfAnotherProjectsKeyReportsItNotFound() {
            String other = createProject();
            members.addTenantUser(other, "bob");
            String bobs = members.keyIdFor(other, "bob");

            Api.Response response = bulkDelete(project, OPERATOR, keyIds(List.of(bobs)));

            assertThat(results(response)).containsExactly(bobs + "=NOT_FOUND");
            assertThat(listedIds(other, OPERATOR, "")).containsExactly(bobs);
        }

        @Test
        void bulkDeleteTakesOneToOneHundredIds() {
            members.addTenantUser(project, "bob");
            String bobs = members.keyIdFor(project, "bob");
            String hundredAndOne = keyIds(IntStream.range(0, 101)
                    .mapToObj(i -> i == 0 ? bobs : UUID.randomUUID().toString()).toList());
            String hundred = keyIds(IntStream.range(0, 100).mapToObj(i -> UUID.randomUUID().toString()).toList());

            assertValidationFailed(bulkDelete(project, OPERATOR, keyIds(List.of())), "keyIds");
            assertValidationFailed(bulkDelete(project, OPERATOR, hundredAndOne), "keyIds");
            assertValidationFailed(bulkDelete(project, OPERATOR, "{}"), "keyIds");
            assertValidationFailed(bulkDelete(project, OPERATOR, keyIds(List.of("not-a-uuid"))));
            assertThat(listedIds(project, OPERATOR, "")).containsExactly(bobs);

            Api.Response accepted = bulkDelete(project, OPERATOR, hundred);
            assertThat(accepted.status()).as(accepted.raw()).isEqualTo(200);
            assertThat(accepted.body().path("results").size()).isEqualTo(100);
        }

        private static List<String> results(Api.Response response) {
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            List<String> results = new ArrayList<>();
            for (JsonNode result : response.body().path("results").values()) {
                assertThat(result.propertyNames()).containsExactlyInAnyOrder("keyId", "result");
                results.add(result.path("keyId").asString() + "=" + result.path("result").asString());
            }
            return results;
        }
    }

    @Nested
    class ReadYourWrites {

        @Test
        void theListReflectsACreateExtendAndDeleteAtOnce() {
            String bob = members.tenantUser(project, "bob");

            Api.Response created = create(project, bob, "name", "fresh", "validDays", 3);
            assertThat(listedIds(project, bob, "")).contains(created.text("keyId"));

            Api.Response extended = extend(project, created.text("keyId"), bob, 4);
            assertThat(extended.status()).isEqualTo(200);
            JsonNode listed = listedKey(list(project, bob, ""), created.text("keyId"));
            assertThat(listed.path("expiresAt").asString()).isEqualTo(extended.text("expiresAt"));
            assertThat(Instant.parse(listed.path("expiresAt").asString()))
                    .isEqualTo(Instant.parse(created.text("expiresAt")).plus(Duration.ofDays(4)));

            assertThat(api.delete(key(project, created.text("keyId")), bob).status()).isEqualTo(204);
            assertThat(listedIds(project, bob, "")).doesNotContain(created.text("keyId"));
        }

        private static JsonNode listedKey(Api.Response list, String keyId) {
            for (JsonNode key : list.body().path("keys").values()) {
                if (key.path("keyId").asString().equals(keyId)) {
                    return key;
                }
            }
            throw new AssertionError("key " + keyId + " is not listed: " + list.raw());
        }
    }
}
