package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

class KeyApiTest extends ApiTest {

    private static final String[] LISTED_FIELDS =
            {"keyId", "name", "maskedKey", "projectId", "userId", "role", "createdAt", "expiresAt", "status"};

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

    private static Duration validity(Api.Response key) {
        return Duration.between(Instant.parse(key.text("createdAt")), Instant.parse(key.text("expiresAt")));
    }

    // --- create -------------------------------------------------------------------------------------------------

    @Test
    void aMemberCreatesTheirOwnKeyValidForThirtyDaysByDefault() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");

        Api.Response created = create(project, bob, "name", "laptop");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.body().propertyNames()).containsExactlyInAnyOrder(
                "keyId", "name", "maskedKey", "projectId", "userId", "role", "createdAt", "expiresAt", "status", "key");
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
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");

        Api.Response created = create(project, bob, "userId", "bob");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("userId")).isEqualTo("bob");
    }

    @Test
    void aTenantAdminCreatesAKeyForAnotherMemberThatCarriesThatMembersIdentity() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        addMember(project, "bob", "TENANT_USER");

        Api.Response created = create(project, admin, "userId", "bob", "name", "for bob");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("userId")).isEqualTo("bob");
        assertThat(created.text("role")).isEqualTo("TENANT_USER");
        Api.Response me = api.get("/api/v1/me", created.text("key"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("userId")).isEqualTo("bob");
        assertThat(me.text("role")).isEqualTo("TENANT_USER");
        assertThat(me.text("keyId")).isEqualTo(created.text("keyId"));
    }

    @Test
    void theOperatorCreatesAKeyCarryingTheMembersCurrentRole() {
        String project = createProject();
        addMember(project, "alice", "TENANT_ADMIN");

        Api.Response created = create(project, OPERATOR, "userId", "alice");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("userId")).isEqualTo("alice");
        assertThat(created.text("role")).isEqualTo("TENANT_ADMIN");
    }

    @Test
    void aTenantUserMayNotCreateAKeyForAnotherMember() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");

        assertProblem(create(project, bob, "userId", "carol"), 403, "FORBIDDEN");
        assertThat(listedIds(project, OPERATOR, "?userId=carol")).isEmpty();
    }

    @Test
    void theOperatorMustSayForWhomTheKeyIs() {
        String project = createProject();

        assertValidationFailed(create(project, OPERATOR, "name", "orphan"), "userId");
        assertThat(listedIds(project, OPERATOR, "")).isEmpty();
    }

    @Test
    void aKeyForSomeoneWhoIsNotAMemberIsMemberNotFound() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");

        assertProblem(create(project, OPERATOR, "userId", "ghost"), 404, "MEMBER_NOT_FOUND");
        assertProblem(create(project, admin, "userId", "ghost"), 404, "MEMBER_NOT_FOUND");
    }

    @Test
    void aKeyInAnUnknownProjectOrAnotherMembersProjectIsProjectNotFound() {
        String project = createProject();
        String other = createProject();
        String admin = memberKey(other, "alice", "TENANT_ADMIN");
        addMember(project, "alice", "TENANT_ADMIN");

        assertProblem(create("NO-SUCH-PROJECT-4", OPERATOR, "userId", "alice"), 404, "PROJECT_NOT_FOUND");
        assertProblem(create(project, admin, "userId", "alice"), 404, "PROJECT_NOT_FOUND");
        assertThat(listedIds(project, OPERATOR, "")).isEmpty();
    }

    @Test
    void validDaysOfOneAndOfThreeHundredSixtyFiveAreAccepted() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        assertThat(validity(createFor(project, "bob", 1))).isEqualTo(Duration.ofDays(1));
        assertThat(validity(createFor(project, "bob", 365))).isEqualTo(Duration.ofDays(365));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 366, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void validDaysOutsideOneToThreeHundredSixtyFiveAreRejected(int validDays) {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        assertValidationFailed(create(project, OPERATOR, "userId", "bob", "validDays", validDays), "validDays");
        assertThat(listedIds(project, OPERATOR, "")).isEmpty();
    }

    @Test
    void aNameLongerThanOneHundredCharactersIsRejected() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        assertValidationFailed(create(project, OPERATOR, "userId", "bob", "name", "n".repeat(101)), "name");
        assertThat(create(project, OPERATOR, "userId", "bob", "name", "n".repeat(100)).status()).isEqualTo(201);
    }

    @Test
    void theSixthActiveKeyOfAMemberIsRefusedAndNotCreated() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        for (int i = 0; i < 5; i++) {
            createKey(project, "bob");
        }

        assertProblem(create(project, OPERATOR, "userId", "bob"), 409, "KEY_LIMIT_REACHED");

        assertThat(listedIds(project, OPERATOR, "?userId=bob")).hasSize(5);
        assertThat(create(project, OPERATOR, "userId", "carol").status()).as("the limit is per member")
                .isEqualTo(201);
    }

    @Test
    void aMemberCreatingTheirOwnSixthKeyIsRefused() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        for (int i = 0; i < 4; i++) {
            assertThat(create(project, bob, "name", "k" + i).status()).isEqualTo(201);
        }

        assertProblem(create(project, bob, "name", "sixth"), 409, "KEY_LIMIT_REACHED");
    }

    @Test
    void anExpiredKeyDoesNotCountTowardsTheLimit() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
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
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String first = createKey(project, "bob").text("keyId");
        for (int i = 0; i < 4; i++) {
            createKey(project, "bob");
        }

        assertThat(api.delete(key(project, first), OPERATOR).status()).isEqualTo(204);

        assertThat(create(project, OPERATOR, "userId", "bob").status()).isEqualTo(201);
    }

    // --- list ---------------------------------------------------------------------------------------------------

    @Test
    void aListedKeyHasItsFieldsAndNoSecret() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
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
    void theListFiltersByUser() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        String bobs = createKey(project, "bob").text("keyId");
        String carols = createKey(project, "carol").text("keyId");

        assertThat(listedIds(project, OPERATOR, "")).containsExactlyInAnyOrder(bobs, carols);
        assertThat(listedIds(project, OPERATOR, "?userId=bob")).containsExactly(bobs);
        assertThat(listedIds(project, OPERATOR, "?userId=carol")).containsExactly(carols);
        assertThat(listedIds(project, OPERATOR, "?userId=nobody")).isEmpty();
    }

    @Test
    void theListFiltersByStatus() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
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
        String project = createProject();

        assertValidationFailed(api.get(keys(project) + query, OPERATOR), "status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"?limit=0", "?limit=101", "?limit=-1", "?limit=abc", "?limit=1.5",
            "?limit=99999999999"})
    void aLimitOutsideOneToOneHundredIsRejected(String query) {
        String project = createProject();

        assertValidationFailed(api.get(keys(project) + query, OPERATOR), "limit");
    }

    @Test
    void limitsOfOneAndOfOneHundredAreAccepted() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        createKey(project, "bob");
        createKey(project, "bob");

        Api.Response one = list(project, OPERATOR, "?limit=1");
        assertThat(one.body().path("keys").size()).isEqualTo(1);
        assertThat(one.text("nextCursor")).isNotEmpty();
        Api.Response hundred = list(project, OPERATOR, "?limit=100");
        assertThat(hundred.body().path("keys").size()).isEqualTo(2);
        assertThat(hundred.body().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void cursorPagesWalkEveryKeyOnceInOrder() {
        String project = createProject();
        List<String> created = new ArrayList<>();
        for (String user : List.of("u1", "u2", "u3")) {
            addMember(project, user, "TENANT_USER");
            for (int i = 0; i < 4; i++) {
                created.add(createKey(project, user).text("keyId"));
            }
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
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        for (int i = 0; i < 4; i++) {
            createKey(project, "bob");
        }

        Api.Response first = list(project, OPERATOR, "?limit=2");
        assertThat(first.body().path("keys").size()).isEqualTo(2);
        Api.Response second = list(project, OPERATOR, "?limit=2&cursor=" + first.text("nextCursor"));
        assertThat(second.body().path("keys").size()).isEqualTo(2);
        assertThat(second.body().path("nextCursor").isNull()).as(second.raw()).isTrue();
    }

    /** Every key id of the listing, page by page, asserting each page holds at most the limit. */
    private List<String> walk(String project, String query) {
        int limit = Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 50; page++) {
            Api.Response response = list(project, OPERATOR, "?" + query + (cursor == null ? "" : "&cursor=" + cursor));
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

    @Test
    void aCursorStillWorksAfterTheKeyItPointsAtIsDeleted() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(createKey(project, "bob").text("keyId"));
        }
        List<String> all = listedIds(project, OPERATOR, "");
        Api.Response first = list(project, OPERATOR, "?limit=2");

        assertThat(api.delete(key(project, all.get(1)), OPERATOR).status()).isEqualTo(204);

        Api.Response second = list(project, OPERATOR, "?limit=2&cursor=" + first.text("nextCursor"));
        assertThat(second.body().path("keys").findValuesAsString("keyId")).containsExactlyElementsOf(all.subList(2, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-cursor!", "Z2FyYmFnZQ", "MSwyLDM", "AAAA", "%E4%B8%AD"})
    void aCursorThisServiceDidNotIssueIsRejected(String cursor) {
        String project = createProject();

        assertValidationFailed(api.get(keys(project) + "?cursor=" + cursor, OPERATOR), "cursor");
    }

    @Test
    void aForgedCursorOutsideTheRangeOfTimesIsRejected() {
        String project = createProject();
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

    @Test
    void aTenantUserListsOnlyTheirOwnKeys() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        String bobsOwn = listedIds(project, OPERATOR, "?userId=bob").get(0);
        addMember(project, "carol", "TENANT_USER");
        createKey(project, "carol");

        assertThat(listedIds(project, bob, "")).containsExactly(bobsOwn);
        assertThat(listedIds(project, bob, "?userId=carol")).isEmpty();
        assertThat(listedIds(project, bob, "?userId=bob")).containsExactly(bobsOwn);
    }

    @Test
    void aTenantAdminListsEveryMembersKeys() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        addMember(project, "carol", "TENANT_USER");
        createKey(project, "carol");

        assertThat(list(project, admin, "").body().path("keys").findValuesAsString("userId"))
                .containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void aMemberOfAnotherProjectCannotListItsKeys() {
        String project = createProject();
        String other = createProject();
        String admin = memberKey(other, "alice", "TENANT_ADMIN");

        assertProblem(api.get(keys(project), admin), 404, "PROJECT_NOT_FOUND");
        assertProblem(api.get(keys("NO-SUCH-PROJECT-5"), OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void deletedKeysAreNotListed() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String kept = createKey(project, "bob").text("keyId");
        String deleted = createKey(project, "bob").text("keyId");

        assertThat(api.delete(key(project, deleted), OPERATOR).status()).isEqualTo(204);

        assertThat(listedIds(project, OPERATOR, "")).containsExactly(kept);
        assertThat(listedIds(project, OPERATOR, "?status=ACTIVE")).containsExactly(kept);
    }

    // --- get ----------------------------------------------------------------------------------------------------

    @Test
    void theOwnerATenantAdminAndTheOperatorGetAKey() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String bob = memberKey(project, "bob", "TENANT_USER");
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
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        String carols = createKey(project, "carol").text("keyId");

        assertProblem(api.get(key(project, carols), bob), 404, "KEY_NOT_FOUND");
    }

    @Test
    void anUnknownOrMalformedKeyIdIsKeyNotFound() {
        String project = createProject();

        assertProblem(api.get(key(project, UUID.randomUUID().toString()), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get(key(project, "not-a-uuid"), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get(key(project, "12345"), OPERATOR), 404, "KEY_NOT_FOUND");
    }

    @Test
    void aKeyOfAnotherProjectIsNotFoundUnderThisProject() {
        String project = createProject();
        String other = createProject();
        addMember(other, "bob", "TENANT_USER");
        String bobs = createKey(other, "bob").text("keyId");

        assertProblem(api.get(key(project, bobs), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.delete(key(project, bobs), OPERATOR), 404, "KEY_NOT_FOUND");
        assertThat(listedIds(other, OPERATOR, "")).containsExactly(bobs);
    }

    // --- extend -------------------------------------------------------------------------------------------------

    @Test
    void extendingAddsTheDaysToTheCurrentExpiry() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String bob = memberKey(project, "bob", "TENANT_USER");
        Api.Response created = createFor(project, "bob", 10);
        Instant expiry = Instant.parse(created.text("expiresAt"));
        String path = key(project, created.text("keyId")) + "/extend";

        Api.Response byOwner = api.post(path, bob, Api.json("days", 5));
        assertThat(byOwner.status()).as(byOwner.raw()).isEqualTo(200);
        assertThat(byOwner.body().propertyNames()).containsExactlyInAnyOrder(LISTED_FIELDS);
        assertThat(Instant.parse(byOwner.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(5)));
        assertThat(byOwner.text("createdAt")).isEqualTo(created.text("createdAt"));

        Api.Response byAdmin = api.post(path, admin, Api.json("days", 1));
        assertThat(Instant.parse(byAdmin.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(6)));

        Api.Response byOperator = api.post(path, OPERATOR, Api.json("days", 365));
        assertThat(Instant.parse(byOperator.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(371)));
    }

    @Test
    void anExpiredKeyCannotBeExtended() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createFor(project, "bob", 1);
        clock.advance(Duration.ofDays(2));

        Api.Response refused = api.post(key(project, created.text("keyId")) + "/extend", OPERATOR, Api.json("days", 5));

        assertProblem(refused, 409, "KEY_EXPIRED");
        assertThat(api.get(key(project, created.text("keyId")), OPERATOR).text("expiresAt"))
                .isEqualTo(created.text("expiresAt"));
    }

    @Test
    void anExpiryMoreThanSevenHundredThirtyDaysFromNowIsRefused() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createFor(project, "bob", 365);
        String path = key(project, created.text("keyId")) + "/extend";
        Instant expiry = Instant.parse(created.text("expiresAt"));

        Api.Response upToTheLimit = api.post(path, OPERATOR, Api.json("days", 365));
        assertThat(upToTheLimit.status()).as(upToTheLimit.raw()).isEqualTo(200);
        assertThat(Instant.parse(upToTheLimit.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(365)));

        assertProblem(api.post(path, OPERATOR, Api.json("days", 2)), 409, "EXPIRY_TOO_FAR");
        assertThat(api.get(key(project, created.text("keyId")), OPERATOR).text("expiresAt"))
                .isEqualTo(upToTheLimit.text("expiresAt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"days\":0}", "{\"days\":-1}", "{\"days\":366}", "{}", "{\"days\":null}"})
    void daysOutsideOneToThreeHundredSixtyFiveAreRejected(String body) {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");

        assertValidationFailed(api.post(key(project, created.text("keyId")) + "/extend", OPERATOR, body), "days");
        assertThat(api.get(key(project, created.text("keyId")), OPERATOR).text("expiresAt"))
                .isEqualTo(created.text("expiresAt"));
    }

    @Test
    void extendingAKeyTheCallerMayNotSeeIsNotFound() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        Api.Response carols = createKey(project, "carol");

        assertProblem(api.post(key(project, carols.text("keyId")) + "/extend", bob, Api.json("days", 5)), 404,
                "KEY_NOT_FOUND");
        assertProblem(api.post(key(project, UUID.randomUUID().toString()) + "/extend", OPERATOR,
                Api.json("days", 5)), 404, "KEY_NOT_FOUND");
        assertThat(api.get(key(project, carols.text("keyId")), OPERATOR).text("expiresAt"))
                .isEqualTo(carols.text("expiresAt"));
    }

    // --- delete -------------------------------------------------------------------------------------------------

    @Test
    void deletingAKeyTwiceIsNotFoundTheSecondTime() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");

        Api.Response deleted = api.delete(key(project, created.text("keyId")), OPERATOR);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.raw()).isEmpty();
        assertProblem(api.delete(key(project, created.text("keyId")), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get(key(project, created.text("keyId")), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get("/api/v1/me", created.text("key")), 401, "UNAUTHENTICATED");
    }

    @Test
    void theOwnerAndATenantAdminDeleteKeys() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String bob = memberKey(project, "bob", "TENANT_USER");
        String first = createKey(project, "bob").text("keyId");
        String second = createKey(project, "bob").text("keyId");

        assertThat(api.delete(key(project, first), bob).status()).isEqualTo(204);
        assertThat(api.delete(key(project, second), admin).status()).isEqualTo(204);

        assertThat(listedIds(project, OPERATOR, "?userId=bob")).hasSize(1);
    }

    @Test
    void aTenantUserDeletingAnotherMembersKeyGetsNotFoundAndTheKeySurvives() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        Api.Response carols = createKey(project, "carol");

        assertProblem(api.delete(key(project, carols.text("keyId")), bob), 404, "KEY_NOT_FOUND");

        assertThat(listedIds(project, OPERATOR, "?userId=carol")).containsExactly(carols.text("keyId"));
        assertThat(api.get("/api/v1/me", carols.text("key")).status()).isEqualTo(200);
    }

    // --- bulk delete --------------------------------------------------------------------------------------------

    @Test
    void bulkDeleteDeletesWhatTheCallerMaySeeAndReportsTheRestNotFound() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        Api.Response first = createKey(project, "bob");
        Api.Response second = createKey(project, "bob");
        Api.Response carols = createKey(project, "carol");
        String unknown = UUID.randomUUID().toString();

        Api.Response response = api.post(keys(project) + "/delete", bob, "{\"keyIds\":[\"" + first.text("keyId")
                + "\",\"" + carols.text("keyId") + "\",\"" + unknown + "\",\"" + second.text("keyId") + "\"]}");

        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().propertyNames()).containsExactly("results");
        assertThat(results(response)).containsExactly(
                first.text("keyId") + "=DELETED",
                carols.text("keyId") + "=NOT_FOUND",
                unknown + "=NOT_FOUND",
                second.text("keyId") + "=DELETED");
        assertProblem(api.get("/api/v1/me", first.text("key")), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/api/v1/me", second.text("key")), 401, "UNAUTHENTICATED");
        assertThat(api.get("/api/v1/me", carols.text("key")).status()).isEqualTo(200);
        assertThat(listedIds(project, OPERATOR, "?userId=carol")).containsExactly(carols.text("keyId"));
    }

    @Test
    void bulkDeleteByATenantAdminDeletesOtherMembersKeysAndReportsAlreadyDeletedOnesNotFound() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        addMember(project, "carol", "TENANT_USER");
        String carols = createKey(project, "carol").text("keyId");

        Api.Response firstTime = api.post(keys(project) + "/delete", admin, "{\"keyIds\":[\"" + carols + "\"]}");
        Api.Response secondTime = api.post(keys(project) + "/delete", admin, "{\"keyIds\":[\"" + carols + "\"]}");

        assertThat(results(firstTime)).containsExactly(carols + "=DELETED");
        assertThat(results(secondTime)).containsExactly(carols + "=NOT_FOUND");
        assertThat(listedIds(project, OPERATOR, "?userId=carol")).isEmpty();
    }

    @Test
    void bulkDeleteOfAnotherProjectsKeyReportsItNotFound() {
        String project = createProject();
        String other = createProject();
        addMember(other, "bob", "TENANT_USER");
        String bobs = createKey(other, "bob").text("keyId");

        Api.Response response = api.post(keys(project) + "/delete", OPERATOR, "{\"keyIds\":[\"" + bobs + "\"]}");

        assertThat(results(response)).containsExactly(bobs + "=NOT_FOUND");
        assertThat(listedIds(other, OPERATOR, "")).containsExactly(bobs);
    }

    @Test
    void bulkDeleteTakesOneToOneHundredIds() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String bobs = createKey(project, "bob").text("keyId");
        String hundredAndOne = IntStream.range(0, 101)
                .mapToObj(i -> '"' + (i == 0 ? bobs : UUID.randomUUID().toString()) + '"')
                .collect(Collectors.joining(",", "{\"keyIds\":[", "]}"));
        String hundred = IntStream.range(0, 100)
                .mapToObj(i -> '"' + UUID.randomUUID().toString() + '"')
                .collect(Collectors.joining(",", "{\"keyIds\":[", "]}"));

        assertValidationFailed(api.post(keys(project) + "/delete", OPERATOR, "{\"keyIds\":[]}"), "keyIds");
        assertValidationFailed(api.post(keys(project) + "/delete", OPERATOR, hundredAndOne), "keyIds");
        assertValidationFailed(api.post(keys(project) + "/delete", OPERATOR, "{}"), "keyIds");
        assertValidationFailed(api.post(keys(project) + "/delete", OPERATOR, "{\"keyIds\":[\"not-a-uuid\"]}"));
        assertThat(listedIds(project, OPERATOR, "")).containsExactly(bobs);

        Api.Response accepted = api.post(keys(project) + "/delete", OPERATOR, hundred);
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

    // --- read-your-writes ---------------------------------------------------------------------------------------

    @Test
    void theListReflectsACreateExtendAndDeleteAtOnce() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");

        Api.Response created = create(project, bob, "name", "fresh", "validDays", 3);
        assertThat(list(project, bob, "").body().path("keys").findValuesAsString("keyId"))
                .contains(created.text("keyId"));

        Api.Response extended = api.post(key(project, created.text("keyId")) + "/extend", bob, Api.json("days", 4));
        assertThat(extended.status()).isEqualTo(200);
        JsonNode listed = listedKey(list(project, bob, ""), created.text("keyId"));
        assertThat(listed.path("expiresAt").asString()).isEqualTo(extended.text("expiresAt"));
        assertThat(Instant.parse(listed.path("expiresAt").asString()))
                .isEqualTo(Instant.parse(created.text("expiresAt")).plus(Duration.ofDays(4)));

        assertThat(api.delete(key(project, created.text("keyId")), bob).status()).isEqualTo(204);
        assertThat(list(project, bob, "").body().path("keys").findValuesAsString("keyId"))
                .doesNotContain(created.text("keyId"));
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
