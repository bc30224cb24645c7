package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

class IdentityApiTest extends ApiTest {

    private static final String ME = "/api/v1/me";
    private static final String VERIFY = "/api/v1/keys/verify";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private String serviceKey(String service) {
        Api.Response created = api.post("/api/v1/service-keys", OPERATOR,
                Api.json("name", "verifier-" + UUID.randomUUID(), "service", service));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.text("key");
    }

    private Api.Response verify(String caller, String presented) {
        Api.Response verified = api.post(VERIFY, caller, Api.json("key", presented));
        assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
        return verified;
    }

    /** The secret with one character of its random body replaced, so its checksum no longer matches. */
    private static String withOneBodyCharacterChanged(String secret) {
        int position = 10;
        char original = secret.charAt(position);
        char replacement = BASE62.charAt((BASE62.indexOf(original) + 1) % BASE62.length());
        return secret.substring(0, position) + replacement + secret.substring(position + 1);
    }

    private static String neverIssued() {
        return KeySecret.generate(new SecureRandom()).reveal();
    }

    // --- /me ----------------------------------------------------------------------------------------------------

    @Test
    void theOperatorIsTheOperator() {
        Api.Response me = api.get(ME, OPERATOR);

        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        assertThat(me.body().propertyNames()).containsExactlyInAnyOrder("type", "keyId");
        assertThat(me.text("type")).isEqualTo("OPERATOR");
        assertThat(UUID.fromString(me.text("keyId"))).isNotNull();
    }

    @Test
    void aMemberIsTheUserInTheirProjectWithTheirRoleAndExpiry() {
        String project = createProject();
        addMember(project, "alice", "TENANT_ADMIN");
        Api.Response created = createKey(project, "alice");

        Api.Response me = api.get(ME, created.text("key"));

        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        assertThat(me.body().propertyNames()).containsExactlyInAnyOrder(
                "type", "keyId", "userId", "projectId", "role", "expiresAt");
        assertThat(me.text("type")).isEqualTo("MEMBER");
        assertThat(me.text("keyId")).isEqualTo(created.text("keyId"));
        assertThat(me.text("userId")).isEqualTo("alice");
        assertThat(me.text("projectId")).isEqualTo(project);
        assertThat(me.text("role")).isEqualTo("TENANT_ADMIN");
        assertThat(me.text("expiresAt")).isEqualTo(created.text("expiresAt"));
    }

    @Test
    void aServiceKeyIsItsService() {
        Api.Response created = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "ccs-node", "service", "CCS"));

        Api.Response me = api.get(ME, created.text("key"));

        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        assertThat(me.body().propertyNames()).containsExactlyInAnyOrder("type", "keyId", "service");
        assertThat(me.text("type")).isEqualTo("SERVICE");
        assertThat(me.text("keyId")).isEqualTo(created.text("keyId"));
        assertThat(me.text("service")).isEqualTo("CCS");
    }

    // --- verify -------------------------------------------------------------------------------------------------

    @Test
    void aServiceAndTheOperatorVerifyAValidKeyAndLearnWhoseItIs() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");

        for (String caller : List.of(serviceKey("CCS"), OPERATOR)) {
            Api.Response verified = verify(caller, created.text("key"));

            assertThat(verified.body().path("valid").isBoolean()).isTrue();
            assertThat(verified.body().path("valid").asBoolean()).isTrue();
            assertThat(verified.text("code")).isEqualTo("VALID");
            assertThat(verified.text("keyId")).isEqualTo(created.text("keyId"));
            assertThat(verified.text("projectId")).isEqualTo(project);
            assertThat(verified.text("userId")).isEqualTo("bob");
            assertThat(verified.text("role")).isEqualTo("TENANT_USER");
            assertThat(verified.text("expiresAt")).isEqualTo(created.text("expiresAt"));
            assertThat(verified.raw()).doesNotContain(created.text("key"));
        }
    }

    @Test
    void aSecretWithABadChecksumIsMalformed() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String secret = keyFor(project, "bob");
        String tampered = withOneBodyCharacterChanged(secret);

        Api.Response verified = verify(serviceKey("VCS"), tampered);

        assertThat(verified.body().path("valid").asBoolean()).isFalse();
        assertThat(verified.text("code")).isEqualTo("MALFORMED");
        assertThat(verified.body().has("keyId")).isFalse();
        assertThat(verified.raw()).doesNotContain(tampered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "kq_", "KQ_0123456789abcdefghijABCDEFGHIJ012345",
            "kq_0123456789abcdefghijABCDEFGHIJ01234!@"})
    void anythingThatIsNotASecretIsMalformed(String presented) {
        Api.Response verified = verify(OPERATOR, presented);

        assertThat(verified.body().path("valid").asBoolean()).isFalse();
        assertThat(verified.text("code")).isEqualTo("MALFORMED");
    }

    @Test
    void aWellFormedSecretThatWasNeverIssuedIsNotFound() {
        Api.Response verified = verify(serviceKey(null), neverIssued());

        assertThat(verified.body().path("valid").asBoolean()).isFalse();
        assertThat(verified.text("code")).isEqualTo("NOT_FOUND");
        assertThat(verified.body().has("keyId")).isFalse();
    }

    @Test
    void anExpiredKeyVerifiesAsExpired() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = api.post("/api/v1/projects/" + project + "/keys", OPERATOR,
                Api.json("userId", "bob", "validDays", 1));
        String verifier = serviceKey("CCS");
        clock.advance(Duration.ofDays(2));

        Api.Response verified = verify(verifier, created.text("key"));

        assertThat(verified.body().path("valid").asBoolean()).isFalse();
        assertThat(verified.text("code")).isEqualTo("EXPIRED");
    }

    @Test
    void aDeletedKeyVerifiesAsRevoked() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");
        assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + created.text("keyId"), OPERATOR).status())
                .isEqualTo(204);

        Api.Response verified = verify(serviceKey("CCS"), created.text("key"));

        assertThat(verified.body().path("valid").asBoolean()).isFalse();
        assertThat(verified.text("code")).isEqualTo("REVOKED");
    }

    @Test
    void membersMayNotVerifyKeys() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String user = memberKey(project, "bob", "TENANT_USER");

        assertProblem(api.post(VERIFY, admin, Api.json("key", user)), 403, "FORBIDDEN");
        assertProblem(api.post(VERIFY, user, Api.json("key", admin)), 403, "FORBIDDEN");
    }

    @Test
    void verifyNeedsAKeyInTheBody() {
        assertValidationFailed(api.post(VERIFY, OPERATOR, "{}"), "key");
        assertValidationFailed(api.post(VERIFY, OPERATOR, "{\"key\":null}"), "key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "1.5"})
    void aKeyThatIsNotAStringIsValidationFailed(String value) {
        assertValidationFailed(api.post(VERIFY, OPERATOR, "{\"key\":" + value + "}"), "key");
    }

    // --- authentication -----------------------------------------------------------------------------------------

    @Test
    void aRequestWithoutAKeyIsUnauthenticated() {
        Api.Response refused = api.get(ME, null);

        assertProblem(refused, 401, "UNAUTHENTICATED");
        assertProblem(api.get("/api/v1/projects/any", null), 401, "UNAUTHENTICATED");
        assertProblem(api.post(VERIFY, null, Api.json("key", neverIssued())), 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "Bearer kq_abc", "kq_0123456789abcdefghijABCDEFGHIJ01234567",
            "kq_0123456789abcdefghijABCDEFGHIJ0123456789"})
    void aMalformedKeyIsUnauthenticated(String presented) {
        Api.Response refused = api.get(ME, presented);

        assertProblem(refused, 401, "UNAUTHENTICATED");
        assertThat(refused.raw()).doesNotContain(presented);
    }

    @Test
    void aValidKeyWithOneCharacterChangedIsUnauthenticated() {
        String tampered = withOneBodyCharacterChanged(OPERATOR);

        assertProblem(api.get(ME, tampered), 401, "UNAUTHENTICATED");
    }

    @Test
    void anUnknownKeyIsUnauthenticated() {
        String unknown = neverIssued();

        Api.Response refused = api.get(ME, unknown);

        assertProblem(refused, 401, "UNAUTHENTICATED");
        assertThat(refused.raw()).doesNotContain(unknown);
    }

    @Test
    void anExpiredKeyIsRefusedAsExpired() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String bob = api.post("/api/v1/projects/" + project + "/keys", OPERATOR,
                Api.json("userId", "bob", "validDays", 1)).text("key");
        assertThat(api.get(ME, bob).status()).isEqualTo(200);

        clock.advance(Duration.ofDays(1).plusSeconds(1));

        for (Api.Response refused : List.of(api.get(ME, bob), api.get("/api/v1/projects/" + project, bob),
                api.get("/api/v1/projects/" + project + "/keys", bob))) {
            assertProblem(refused, 401, "KEY_EXPIRED");
            assertThat(refused.text("detail")).isEqualTo("Key is expired.");
        }
    }

    @Test
    void aDeletedKeyIsUnauthenticatedNotExpired() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");
        api.delete("/api/v1/projects/" + project + "/keys/" + created.text("keyId"), OPERATOR);

        assertProblem(api.get(ME, created.text("key")), 401, "UNAUTHENTICATED");
    }

    @Test
    void keysAreCaseSensitive() {
        String swapped = OPERATOR.substring(0, 3) + swapCase(OPERATOR.substring(3));

        assertProblem(api.get(ME, swapped), 401, "UNAUTHENTICATED");
    }

    private static String swapCase(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return out.toString();
    }
}
