package keyquota.api.security;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what to a member key, endpoint by caller, exactly as the contract ("API keys", "Principals and
 * authentication", "Errors") says. Every invocation works in a project of its own:
 * <ul>
 *     <li>alice (TENANT_USER) owns the target key; bob is another TENANT_USER; admin is the TENANT_ADMIN;
 *     carol (TENANT_USER) is the member an "other member" key is created for;</li>
 *     <li>the expired and the deleted caller keys belong to the project's TENANT_ADMIN, so only their state
 *     (not a missing right) can explain the refusal; the malformed key is the admin's key with a wrong checksum;</li>
 *     <li>the admin of another project is called "admin" there too: the project, not the name, is what counts.</li>
 * </ul>
 * Every refused request is checked to have changed nothing.
 */
class KeyAuthorizationMatrixTest extends ApiTest {

    enum Endpoint { CREATE_FOR_SELF, CREATE_FOR_OTHER_MEMBER, LIST, GET, EXTEND, DELETE, BULK_DELETE }

    enum Caller { OWNER, OTHER_USER, ADMIN, OTHER_PROJECT_ADMIN, OPERATOR, SERVICE, EXPIRED, DELETED, MALFORMED, UNKNOWN }

    private static final int EXTEND_DAYS = 5;

    /**
     * The matrix. {@code code} is the problem's {@code code}; for BULK_DELETE's 200 it is the per-key result.
     * The operator is no member, so "for self" has no owner: userId is required (400 VALIDATION_FAILED).
     */
    @ParameterizedTest(name = "{0} by {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # endpoint               | caller              | status | code
            CREATE_FOR_SELF          | OWNER               | 201    | -
            CREATE_FOR_SELF          | OTHER_USER          | 201    | -
            CREATE_FOR_SELF          | ADMIN               | 201    | -
            CREATE_FOR_SELF          | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            CREATE_FOR_SELF          | OPERATOR            | 400    | VALIDATION_FAILED
            CREATE_FOR_SELF          | SERVICE             | 403    | FORBIDDEN
            CREATE_FOR_SELF          | EXPIRED             | 401    | KEY_EXPIRED
            CREATE_FOR_SELF          | DELETED             | 401    | UNAUTHENTICATED
            CREATE_FOR_SELF          | MALFORMED           | 401    | UNAUTHENTICATED
            CREATE_FOR_SELF          | UNKNOWN             | 401    | UNAUTHENTICATED

            CREATE_FOR_OTHER_MEMBER  | OWNER               | 403    | FORBIDDEN
            CREATE_FOR_OTHER_MEMBER  | OTHER_USER          | 403    | FORBIDDEN
            CREATE_FOR_OTHER_MEMBER  | ADMIN               | 201    | -
            CREATE_FOR_OTHER_MEMBER  | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            CREATE_FOR_OTHER_MEMBER  | OPERATOR            | 201    | -
            CREATE_FOR_OTHER_MEMBER  | SERVICE             | 403    | FORBIDDEN
            CREATE_FOR_OTHER_MEMBER  | EXPIRED             | 401    | KEY_EXPIRED
            CREATE_FOR_OTHER_MEMBER  | DELETED             | 401    | UNAUTHENTICATED
            CREATE_FOR_OTHER_MEMBER  | MALFORMED           | 401    | UNAUTHENTICATED
            CREATE_FOR_OTHER_MEMBER  | UNKNOWN             | 401    | UNAUTHENTICATED

            LIST                     | OWNER               | 200    | -
            LIST                     | OTHER_USER          | 200    | -
            LIST                     | ADMIN               | 200    | -
            LIST                     | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            LIST                     | OPERATOR            | 200    | -
            LIST                     | SERVICE             | 403    | FORBIDDEN
            LIST                     | EXPIRED             | 401    | KEY_EXPIRED
            LIST                     | DELETED             | 401    | UNAUTHENTICATED
            LIST                     | MALFORMED           | 401    | UNAUTHENTICATED
            LIST                     | UNKNOWN             | 401    | UNAUTHENTICATED

            GET                      | OWNER               | 200    | -
            GET                      | OTHER_USER          | 404    | KEY_NOT_FOUND
            GET                      | ADMIN               | 200    | -
            GET                      | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            GET                      | OPERATOR            | 200    | -
            GET                      | SERVICE             | 403    | FORBIDDEN
            GET                      | EXPIRED             | 401    | KEY_EXPIRED
            GET                      | DELETED             | 401    | UNAUTHENTICATED
            GET                      | MALFORMED           | 401    | UNAUTHENTICATED
            GET                      | UNKNOWN             | 401    | UNAUTHENTICATED

            EXTEND                   | OWNER               | 200    | -
            EXTEND                   | OTHER_USER          | 404    | KEY_NOT_FOUND
            EXTEND                   | ADMIN               | 200    | -
            EXTEND                   | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            EXTEND                   | OPERATOR            | 200    | -
            EXTEND                   | SERVICE             | 403    | FORBIDDEN
            EXTEND                   | EXPIRED             | 401    | KEY_EXPIRED
            EXTEND                   | DELETED             | 401    | UNAUTHENTICATED
            EXTEND                   | MALFORMED           | 401    | UNAUTHENTICATED
            EXTEND                   | UNKNOWN             | 401    | UNAUTHENTICATED

            DELETE                   | OWNER               | 204    | -
            DELETE                   | OTHER_USER          | 404    | KEY_NOT_FOUND
            DELETE                   | ADMIN               | 204    | -
            DELETE                   | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            DELETE                   | OPERATOR            | 204    | -
            DELETE                   | SERVICE             | 403    | FORBIDDEN
            DELETE                   | EXPIRED             | 401    | KEY_EXPIRED
            DELETE                   | DELETED             | 401    | UNAUTHENTICATED
            DELETE                   | MALFORMED           | 401    | UNAUTHENTICATED
            DELETE                   | UNKNOWN             | 401    | UNAUTHENTICATED

            BULK_DELETE              | OWNER               | 200    | DELETED
            BULK_DELETE              | OTHER_USER          | 200    | NOT_FOUND
            BULK_DELETE              | ADMIN               | 200    | DELETED
            BULK_DELETE              | OTHER_PROJECT_ADMIN | 404    | PROJECT_NOT_FOUND
            BULK_DELETE              | OPERATOR            | 200    | DELETED
            BULK_DELETE              | SERVICE             | 403    | FORBIDDEN
            BULK_DELETE              | EXPIRED             | 401    | KEY_EXPIRED
            BULK_DELETE              | DELETED             | 401    | UNAUTHENTICATED
            BULK_DELETE              | MALFORMED           | 401    | UNAUTHENTICATED
            BULK_DELETE              | UNKNOWN             | 401    | UNAUTHENTICATED
            """)
    void keyEndpoints(Endpoint endpoint, Caller caller, int status, String code) {
        Fixture fixture = new Fixture(caller);
        State before = fixture.state();

        Api.Response response = fixture.call(endpoint);

        assertThat(response.status()).as("%s by %s: %s", endpoint, caller, response.raw()).isEqualTo(status);
        if (status >= 400) {
            assertThat(response.code()).as(response.raw()).isEqualTo(code);
            assertThat(response.contentType()).startsWith("application/problem+json");
            if ("VALIDATION_FAILED".equals(code)) {
                assertThat(response.body().path("errors").findValuesAsString("field")).containsExactly("userId");
            }
            assertThat(fixture.state()).as("a refused request changes nothing").isEqualTo(before);
            return;
        }
        fixture.assertEffect(endpoint, caller, code, response, before);
    }

    /** A key id of project P asked for under another project's path is not found there, for anyone. */
    @ParameterizedTest(name = "{0} by {1} under another project -> KEY_NOT_FOUND")
    @CsvSource(delimiter = '|', textBlock = """
            # endpoint   | caller
            GET          | OTHER_PROJECT_ADMIN
            GET          | OPERATOR
            EXTEND       | OTHER_PROJECT_ADMIN
            EXTEND       | OPERATOR
            DELETE       | OTHER_PROJECT_ADMIN
            DELETE       | OPERATOR
            BULK_DELETE  | OTHER_PROJECT_ADMIN
            BULK_DELETE  | OPERATOR
            """)
    void aKeyIsNotFoundUnderAnotherProjectsPath(Endpoint endpoint, Caller caller) {
        Fixture fixture = new Fixture(caller);
        State before = fixture.state();

        Api.Response response = fixture.call(endpoint, fixture.otherProject());

        if (endpoint == Endpoint.BULK_DELETE) {
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            assertThat(response.body().path("results").get(0).path("result").asString()).isEqualTo("NOT_FOUND");
        } else {
            assertThat(response.status()).as(response.raw()).isEqualTo(404);
            assertThat(response.code()).isEqualTo("KEY_NOT_FOUND");
        }
        assertThat(fixture.state()).isEqualTo(before);
    }

    @Test
    void aTenantUsersListShowsOnlyTheirOwnKeysWhateverTheyFilterOn() {
        String project = createProject();
        String alice = memberKey(project, "alice", "TENANT_USER");
        keyFor(project, "alice");
        String bob = memberKey(project, "bob", "TENANT_USER");
        String admin = memberKey(project, "admin", "TENANT_ADMIN");

        assertThat(listedOwners(project, "", alice)).hasSize(2).containsOnly("alice");
        assertThat(listedOwners(project, "", bob)).containsExactly("bob");
        assertThat(listedOwners(project, "?userId=alice", bob)).isEmpty();
        assertThat(listedOwners(project, "?userId=bob", bob)).containsExactly("bob");
        assertThat(listedOwners(project, "?userId=alice", admin)).containsExactly("alice", "alice");
        assertThat(listedOwners(project, "", admin)).containsExactlyInAnyOrder("alice", "alice", "bob", "admin");
        assertThat(listedOwners(project, "", OPERATOR)).containsExactlyInAnyOrder("alice", "alice", "bob", "admin");
    }

    private List<String> listedOwners(String project, String query, String key) {
        Api.Response list = api.get("/api/v1/projects/" + project + "/keys" + query, key);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("keys").findValuesAsString("userId");
    }

    /** What a refused request must leave as it was: the project's keys, the target's expiry, and its secret working. */
    record State(List<String> keyIds, String targetExpiresAt, int targetMeStatus) {
    }

    /** One invocation's world: project P with its members, the target key, and the caller's key. */
    private final class Fixture {

        final String project = createProject();
        final Caller caller;
        final String targetKeyId;
        final String targetSecret;
        final String callerKey;
        private String otherProject;

        Fixture(Caller caller) {
            this.caller = caller;
            addMember(project, "alice", "TENANT_USER");
            addMember(project, "bob", "TENANT_USER");
            addMember(project, "carol", "TENANT_USER");
            addMember(project, "admin", "TENANT_ADMIN");
            Api.Response target = createKey(project, "alice");
            targetKeyId = target.text("keyId");
            targetSecret = target.text("key");
            callerKey = keyOf(caller);
        }

        private String keyOf(Caller caller) {
            return switch (caller) {
                case OWNER -> keyFor(project, "alice");
                case OTHER_USER -> keyFor(project, "bob");
                case ADMIN -> keyFor(project, "admin");
                case OTHER_PROJECT_ADMIN -> memberKey(otherProject(), "admin", "TENANT_ADMIN");
                case OPERATOR -> OPERATOR;
                case SERVICE -> serviceKey();
                case EXPIRED -> expiredAdminKey();
                case DELETED -> deletedAdminKey();
                case MALFORMED -> withWrongChecksum(keyFor(project, "admin"));
                case UNKNOWN -> KeySecret.generate(new SecureRandom()).reveal();
            };
        }

        String otherProject() {
            if (otherProject == null) {
                otherProject = createProject();
            }
            return otherProject;
        }

        private String serviceKey() {
            Api.Response created = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "matrix service"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            assertThat(api.get("/api/v1/me", created.text("key")).text("type")).isEqualTo("SERVICE");
            return created.text("key");
        }

        private String expiredAdminKey() {
            Api.Response created = api.post("/api/v1/projects/" + project + "/keys", OPERATOR,
                    Api.json("userId", "admin", "validDays", 1));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            clock.advance(Duration.ofDays(1).plusMinutes(1));
            Api.Response me = api.get("/api/v1/me", created.text("key"));
            assertThat(me.code()).as("precondition: the key is expired").isEqualTo("KEY_EXPIRED");
            return created.text("key");
        }

        private String deletedAdminKey() {
            Api.Response created = createKey(project, "admin");
            assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + created.text("keyId"), OPERATOR)
                    .status()).isEqualTo(204);
            return created.text("key");
        }

        private static String withWrongChecksum(String secret) {
            char last = secret.charAt(secret.length() - 1);
            String malformed = secret.substring(0, secret.length() - 1) + (last == '0' ? '1' : '0');
            assertThat(KeySecret.parse(malformed)).as("precondition: the checksum no longer matches").isEmpty();
            return malformed;
        }

        Api.Response call(Endpoint endpoint) {
            return call(endpoint, project);
        }

        Api.Response call(Endpoint endpoint, String projectId) {
            String keys = "/api/v1/projects/" + projectId + "/keys";
            return switch (endpoint) {
                case CREATE_FOR_SELF -> api.post(keys, callerKey, Api.json("name", "mine"));
                case CREATE_FOR_OTHER_MEMBER -> api.post(keys, callerKey, Api.json("name", "for carol", "userId", "carol"));
                case LIST -> api.get(keys + "?limit=100", callerKey);
                case GET -> api.get(keys + "/" + targetKeyId, callerKey);
                case EXTEND -> api.post(keys + "/" + targetKeyId + "/extend", callerKey, Api.json("days", EXTEND_DAYS));
                case DELETE -> api.delete(keys + "/" + targetKeyId, callerKey);
                case BULK_DELETE -> api.post(keys + "/delete", callerKey, Api.json("keyIds", List.of(targetKeyId)));
            };
        }

        /** Read as the operator, who sees everything. */
        State state() {
            Api.Response list = api.get("/api/v1/projects/" + project + "/keys?limit=100", OPERATOR);
            assertThat(list.status()).as(list.raw()).isEqualTo(200);
            Api.Response target = api.get("/api/v1/projects/" + project + "/keys/" + targetKeyId, OPERATOR);
            String expiresAt = target.status() == 200 ? target.text("expiresAt") : "gone: " + target.code();
            return new State(list.body().path("keys").findValuesAsString("keyId"), expiresAt,
                    api.get("/api/v1/me", targetSecret).status());
        }

        /** The caller's user, for member callers. */
        private String callerUser() {
            return switch (caller) {
                case OWNER -> "alice";
                case OTHER_USER -> "bob";
                case ADMIN -> "admin";
                default -> null;
            };
        }

        void assertEffect(Endpoint endpoint, Caller caller, String result, Api.Response response, State before) {
            State after = state();
            switch (endpoint) {
                case CREATE_FOR_SELF, CREATE_FOR_OTHER_MEMBER -> {
                    String owner = endpoint == Endpoint.CREATE_FOR_SELF ? callerUser() : "carol";
                    assertThat(response.text("userId")).isEqualTo(owner);
                    assertThat(response.text("role")).isEqualTo(owner.equals("admin") ? "TENANT_ADMIN" : "TENANT_USER");
                    assertThat(response.text("projectId")).isEqualTo(project);
                    assertThat(KeySecret.parse(response.text("key"))).as("the secret goes to the caller").isPresent();
                    List<String> expected = new ArrayList<>(before.keyIds());
                    expected.add(response.text("keyId"));
                    assertThat(after.keyIds()).containsExactlyInAnyOrderElementsOf(expected);
                    assertThat(api.get("/api/v1/me", response.text("key")).text("userId")).isEqualTo(owner);
                }
                case LIST -> {
                    JsonNode keys = response.body().path("keys");
                    assertThat(keys.findValues("key")).as("no secret in a list").isEmpty();
                    if (callerUser() != null && caller != Caller.ADMIN) {
                        assertThat(keys.findValuesAsString("userId")).isNotEmpty().containsOnly(callerUser());
                        assertThat(keys.findValuesAsString("keyId")).doesNotHaveDuplicates()
                                .isSubsetOf(before.keyIds());
                        assertThat(keys.findValuesAsString("keyId").contains(targetKeyId))
                                .isEqualTo(caller == Caller.OWNER);
                    } else {
                        assertThat(keys.findValuesAsString("keyId")).containsExactlyInAnyOrderElementsOf(before.keyIds());
                    }
                    assertThat(after).isEqualTo(before);
                }
                case GET -> {
                    assertThat(response.text("keyId")).isEqualTo(targetKeyId);
                    assertThat(response.text("userId")).isEqualTo("alice");
                    assertThat(response.text("status")).isEqualTo("ACTIVE");
                    assertThat(response.body().has("key")).as("the secret is shown only once").isFalse();
                    assertThat(after).isEqualTo(before);
                }
                case EXTEND -> {
                    Instant expected = Instant.parse(before.targetExpiresAt()).plus(Duration.ofDays(EXTEND_DAYS));
                    assertThat(Instant.parse(response.text("expiresAt"))).isEqualTo(expected);
                    assertThat(Instant.parse(after.targetExpiresAt())).isEqualTo(expected);
                    assertThat(after.keyIds()).isEqualTo(before.keyIds());
                }
                case DELETE, BULK_DELETE -> {
                    if (endpoint == Endpoint.BULK_DELETE) {
                        JsonNode results = response.body().path("results");
                        assertThat(results.size()).isEqualTo(1);
                        assertThat(results.get(0).path("keyId").asString()).isEqualTo(targetKeyId);
                        assertThat(results.get(0).path("result").asString()).isEqualTo(result);
                    } else {
                        assertThat(response.raw()).isEmpty();
                    }
                    if ("NOT_FOUND".equals(result)) {
                        assertThat(after).as("a key the caller may not see stays").isEqualTo(before);
                    } else {
                        assertThat(after.keyIds()).doesNotContain(targetKeyId)
                                .containsExactlyInAnyOrderElementsOf(
                                        before.keyIds().stream().filter(id -> !id.equals(targetKeyId)).toList());
                        assertThat(after.targetExpiresAt()).isEqualTo("gone: KEY_NOT_FOUND");
                        assertThat(after.targetMeStatus()).as("a deleted key stops authenticating").isEqualTo(401);
                    }
                }
            }
        }
    }
}
