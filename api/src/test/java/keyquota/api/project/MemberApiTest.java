package keyquota.api.project;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

class MemberApiTest extends ApiTest {

    private static String members(String project) {
        return "/api/v1/projects/" + project + "/members";
    }

    private static String member(String project, String userId) {
        return members(project) + "/" + userId;
    }

    private Api.Response verify(String secret) {
        return api.post("/api/v1/keys/verify", OPERATOR, Api.json("key", secret));
    }

    private List<String> listedUserIds(String project) {
        Api.Response list = api.get(members(project), OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("members").findValuesAsString("userId");
    }

    private List<String> listedKeyIds(String project) {
        Api.Response list = api.get("/api/v1/projects/" + project + "/keys?limit=100", OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("keys").findValuesAsString("keyId");
    }

    @Test
    void theOperatorListsMembersWithUserIdRoleAndJoinTime() {
        String project = createProject();
        addMember(project, "alice", "TENANT_ADMIN");
        addMember(project, "bob", "TENANT_USER");

        Api.Response list = api.get(members(project), OPERATOR);

        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.body().propertyNames()).containsExactly("members");
        JsonNode listed = list.body().path("members");
        assertThat(listed.size()).isEqualTo(2);
        List<String> rows = new ArrayList<>();
        for (JsonNode row : listed.values()) {
            assertThat(row.propertyNames()).containsExactlyInAnyOrder("userId", "role", "joinedAt", "email");
            Instant joinedAt = Instant.parse(row.path("joinedAt").asString());
            assertThat(Duration.between(joinedAt, clock.instant()).abs()).isLessThan(Duration.ofMinutes(1));
            rows.add(row.path("userId").asString() + ":" + row.path("role").asString());
        }
        assertThat(rows).containsExactlyInAnyOrder("alice:TENANT_ADMIN", "bob:TENANT_USER");
    }

    @Test
    void aTenantAdminListsTheMembersOfTheirProject() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        addMember(project, "bob", "TENANT_USER");

        Api.Response list = api.get(members(project), admin);

        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.body().path("members").findValuesAsString("userId")).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aTenantUserMayNotListMembers() {
        String project = createProject();
        String user = memberKey(project, "bob", "TENANT_USER");

        assertProblem(api.get(members(project), user), 403, "FORBIDDEN");
    }

    @Test
    void aTenantAdminOfAnotherProjectSeesNoProject() {
        String project = createProject();
        String other = createProject();
        String admin = memberKey(other, "alice", "TENANT_ADMIN");

        assertProblem(api.get(members(project), admin), 404, "PROJECT_NOT_FOUND");
        assertProblem(api.put(member(project, "mallory"), admin, Api.json("role", "TENANT_ADMIN")), 404,
                "PROJECT_NOT_FOUND");
        assertProblem(api.delete(member(project, "alice"), admin), 404, "PROJECT_NOT_FOUND");
        assertThat(listedUserIds(project)).isEmpty();
    }

    @Test
    void membersOfAnUnknownProjectAreNotFound() {
        assertProblem(api.get(members("NO-SUCH-PROJECT-1"), OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void puttingAMemberAddsThem() {
        String project = createProject();

        Api.Response added = api.put(member(project, "carol.w@lab-1_x"), OPERATOR, Api.json("role", "TENANT_USER"));

        assertThat(added.status()).as(added.raw()).isEqualTo(200);
        assertThat(added.body().propertyNames()).containsExactlyInAnyOrder("projectId", "userId", "role", "email");
        assertThat(added.text("projectId")).isEqualTo(project);
        assertThat(added.text("userId")).isEqualTo("carol.w@lab-1_x");
        assertThat(added.text("role")).isEqualTo("TENANT_USER");
        assertThat(listedUserIds(project)).containsExactly("carol.w@lab-1_x");
    }

    @Test
    void userIdsOfOneAndOfSixtyFourCharactersAreAccepted() {
        String project = createProject();

        assertThat(api.put(member(project, "a"), OPERATOR, Api.json("role", "TENANT_USER")).status()).isEqualTo(200);
        assertThat(api.put(member(project, "u".repeat(64)), OPERATOR, Api.json("role", "TENANT_USER")).status())
                .isEqualTo(200);
        assertThat(listedUserIds(project)).containsExactlyInAnyOrder("a", "u".repeat(64));
    }

    @Test
    void aTenantAdminAddsAMemberButATenantUserMayNot() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String user = memberKey(project, "bob", "TENANT_USER");

        assertThat(api.put(member(project, "carol"), admin, Api.json("role", "TENANT_USER")).status()).isEqualTo(200);
        assertProblem(api.put(member(project, "dave"), user, Api.json("role", "TENANT_USER")), 403, "FORBIDDEN");
        assertProblem(api.put(member(project, "bob"), user, Api.json("role", "TENANT_ADMIN")), 403, "FORBIDDEN");
        assertProblem(api.delete(member(project, "carol"), user), 403, "FORBIDDEN");

        assertThat(listedUserIds(project)).containsExactlyInAnyOrder("alice", "bob", "carol");
    }

    @Test
    void puttingAnotherRoleChangesIt() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        Api.Response changed = api.put(member(project, "bob"), OPERATOR, Api.json("role", "TENANT_ADMIN"));

        assertThat(changed.status()).as(changed.raw()).isEqualTo(200);
        assertThat(changed.text("role")).isEqualTo("TENANT_ADMIN");
        Api.Response list = api.get(members(project), OPERATOR);
        assertThat(list.body().path("members").get(0).path("role").asString()).isEqualTo("TENANT_ADMIN");
    }

    @Test
    void puttingTheSameRoleAgainIsAcceptedAndKeepsTheMembersKeys() {
        String project = createProject();
        String bob = memberKey(project, "bob", "TENANT_USER");

        Api.Response again = api.put(member(project, "bob"), OPERATOR, Api.json("role", "TENANT_USER"));

        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.text("role")).isEqualTo("TENANT_USER");
        assertThat(api.get("/api/v1/me", bob).status()).isEqualTo(200);
        assertThat(verify(bob).text("code")).isEqualTo("VALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"role\":\"OWNER\"}", "{\"role\":\"tenant_admin\"}", "{\"role\":\"\"}",
            "{\"role\":null}", "{}", "{\"role\":1}", "{\"role\":\"1\"}", "{\"role\":[\"TENANT_USER\"]}"})
    void anInvalidRoleIsRejectedAndNobodyIsAdded(String body) {
        String project = createProject();

        assertValidationFailed(api.put(member(project, "bob"), OPERATOR, body), "role");
        assertThat(listedUserIds(project)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad!user", "has%20space", "%E4%B8%AD", "comma,user",
            "u12345678901234567890123456789012345678901234567890123456789012345"})
    void aMalformedUserIdInThePathIsRejected(String userId) {
        String project = createProject();

        assertValidationFailed(api.put(member(project, userId), OPERATOR, Api.json("role", "TENANT_USER")), "userId");
        assertThat(listedUserIds(project)).isEmpty();
    }

    @Test
    void puttingAMemberIntoAnUnknownProjectIsNotFound() {
        assertProblem(api.put(member("NO-SUCH-PROJECT-2", "bob"), OPERATOR, Api.json("role", "TENANT_USER")), 404,
                "PROJECT_NOT_FOUND");
    }

    @Test
    void deletingAMemberRemovesThemAndASecondDeleteIsNotFound() {
        String project = createProject();
        addMember(project, "alice", "TENANT_ADMIN");
        addMember(project, "bob", "TENANT_USER");

        Api.Response removed = api.delete(member(project, "bob"), OPERATOR);

        assertThat(removed.status()).as(removed.raw()).isEqualTo(204);
        assertThat(listedUserIds(project)).containsExactly("alice");
        assertProblem(api.delete(member(project, "bob"), OPERATOR), 404, "MEMBER_NOT_FOUND");
    }

    @Test
    void aTenantAdminRemovesAMember() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        addMember(project, "bob", "TENANT_USER");

        assertThat(api.delete(member(project, "bob"), admin).status()).isEqualTo(204);
        assertThat(listedUserIds(project)).containsExactly("alice");
    }

    @Test
    void deletingSomeoneWhoNeverWasAMemberIsNotFound() {
        String project = createProject();

        assertProblem(api.delete(member(project, "ghost"), OPERATOR), 404, "MEMBER_NOT_FOUND");
        assertProblem(api.delete(member("NO-SUCH-PROJECT-3", "ghost"), OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void removingAMemberDeletesTheirKeysAndTheyStopAuthenticatingAtOnce() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        addMember(project, "carol", "TENANT_USER");
        Api.Response first = createKey(project, "bob");
        Api.Response second = createKey(project, "bob");
        Api.Response carols = createKey(project, "carol");
        assertThat(api.get("/api/v1/me", first.text("key")).status()).isEqualTo(200);

        assertThat(api.delete(member(project, "bob"), OPERATOR).status()).isEqualTo(204);

        for (Api.Response key : List.of(first, second)) {
            assertProblem(api.get("/api/v1/me", key.text("key")), 401, "UNAUTHENTICATED");
            Api.Response verified = verify(key.text("key"));
            assertThat(verified.status()).isEqualTo(200);
            assertThat(verified.body().path("valid").asBoolean()).isFalse();
            assertThat(verified.text("code")).isEqualTo("REVOKED");
        }
        assertThat(listedKeyIds(project)).containsExactly(carols.text("keyId"));
        assertThat(verify(carols.text("key")).text("code")).isEqualTo("VALID");
    }

    @Test
    void changingAMembersRoleDeletesTheirKeysAndTheyStopAuthenticatingAtOnce() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response old = createKey(project, "bob");

        assertThat(api.put(member(project, "bob"), OPERATOR, Api.json("role", "TENANT_ADMIN")).status())
                .isEqualTo(200);

        assertProblem(api.get("/api/v1/me", old.text("key")), 401, "UNAUTHENTICATED");
        assertThat(verify(old.text("key")).text("code")).isEqualTo("REVOKED");
        assertThat(listedKeyIds(project)).isEmpty();

        Api.Response fresh = createKey(project, "bob");
        assertThat(fresh.text("role")).isEqualTo("TENANT_ADMIN");
        Api.Response me = api.get("/api/v1/me", fresh.text("key"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("role")).isEqualTo("TENANT_ADMIN");
    }

    @Test
    void aTenantAdminDemotedToUserLosesAdminRightsAtOnce() {
        String project = createProject();
        String alice = memberKey(project, "alice", "TENANT_ADMIN");
        assertThat(api.get(members(project), alice).status()).isEqualTo(200);

        addMember(project, "alice", "TENANT_USER");

        assertProblem(api.get(members(project), alice), 401, "UNAUTHENTICATED");
    }

    @Test
    void aMemberWhoRejoinsDoesNotGetTheirOldKeysBack() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String old = keyFor(project, "bob");
        assertThat(api.delete(member(project, "bob"), OPERATOR).status()).isEqualTo(204);

        addMember(project, "bob", "TENANT_USER");

        assertProblem(api.get("/api/v1/me", old), 401, "UNAUTHENTICATED");
        assertThat(verify(old).text("code")).isEqualTo("REVOKED");
        assertThat(listedKeyIds(project)).isEmpty();
        assertThat(listedUserIds(project)).containsExactly("bob");
    }

    @Test
    void aMembersEmailIsSetShownToAdminsAndThemselvesAndValidated() {
        String projectId = createProject();
        Api.Response added = api.put("/api/v1/projects/" + projectId + "/members/bob", OPERATOR,
                Api.json("role", "TENANT_USER", "email", "bob@example.org"));
        assertThat(added.status()).as(added.raw()).isEqualTo(200);
        assertThat(added.text("email")).isEqualTo("bob@example.org");
        String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        assertThat(api.get("/api/v1/projects/" + projectId + "/members", admin).body().path("members").valueStream()
                .filter(m -> m.path("userId").asString().equals("bob")).findFirst().orElseThrow()
                .path("email").asString()).isEqualTo("bob@example.org");
        String bob = keyFor(projectId, "bob");
        assertThat(api.get("/api/v1/me", bob).text("email")).isEqualTo("bob@example.org");
        assertThat(api.get("/api/v1/me", admin).body().has("email")).isFalse();

        // absent leaves it; a new one replaces it; a malformed one is refused and changes nothing
        assertThat(api.put("/api/v1/projects/" + projectId + "/members/bob", OPERATOR, Api.json("role", "TENANT_USER"))
                .text("email")).isEqualTo("bob@example.org");
        assertThat(api.put("/api/v1/projects/" + projectId + "/members/bob", admin,
                Api.json("role", "TENANT_USER", "email", "bob@nchc.org.tw")).text("email")).isEqualTo("bob@nchc.org.tw");
        Api.Response bad = api.put("/api/v1/projects/" + projectId + "/members/bob", OPERATOR,
                Api.json("role", "TENANT_USER", "email", "not an address"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(api.get("/api/v1/me", bob).text("email")).isEqualTo("bob@nchc.org.tw");
    }
}
