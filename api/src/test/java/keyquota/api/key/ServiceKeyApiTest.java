package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceKeyApiTest extends ApiTest {

    private static final String SERVICE_KEYS = "/api/v1/service-keys";

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private Api.Response createServiceKey(String name, String service) {
        String body = service == null ? Api.json("name", name) : Api.json("name", name, "service", service);
        Api.Response created = api.post(SERVICE_KEYS, OPERATOR, body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created;
    }

    private JsonNode listed(String keyId) {
        Api.Response list = api.get(SERVICE_KEYS, OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        for (JsonNode key : list.body().path("keys").values()) {
            if (key.path("keyId").asString().equals(keyId)) {
                return key;
            }
        }
        return null;
    }

    private List<String> listedNames() {
        return api.get(SERVICE_KEYS, OPERATOR).body().path("keys").findValuesAsString("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CCS", "VCS"})
    void theOperatorCreatesAKeyForOneService(String service) {
        String name = uniqueName(service);

        Api.Response created = createServiceKey(name, service);

        assertThat(UUID.fromString(created.text("keyId"))).isNotNull();
        assertThat(created.text("name")).isEqualTo(name);
        assertThat(created.text("service")).isEqualTo(service);
        assertThat(created.text("key")).matches("kq_[0-9A-Za-z]{38}");
        assertThat(created.text("maskedKey")).isEqualTo(
                created.text("key").substring(0, 7) + "…" + created.text("key").substring(37));
        assertThat(Duration.between(Instant.parse(created.text("createdAt")), clock.instant()).abs())
                .isLessThan(Duration.ofMinutes(1));

        Api.Response me = api.get("/api/v1/me", created.text("key"));
        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        assertThat(me.text("type")).isEqualTo("SERVICE");
        assertThat(me.text("keyId")).isEqualTo(created.text("keyId"));
        assertThat(me.text("service")).isEqualTo(service);
    }

    @Test
    void aKeyWithoutAServiceActsForEveryService() {
        Api.Response created = createServiceKey(uniqueName("all"), null);

        assertThat(created.body().path("service").isString()).as(created.raw()).isFalse();
        Api.Response me = api.get("/api/v1/me", created.text("key"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("type")).isEqualTo("SERVICE");
        assertThat(me.body().path("service").isString()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"XYZ", "ccs", "", "CCS,VCS"})
    void anUnknownServiceIsRejectedAndNoKeyIsCreated(String service) {
        String name = uniqueName("bad");

        assertValidationFailed(api.post(SERVICE_KEYS, OPERATOR, Api.json("name", name, "service", service)),
                "service");

        assertThat(listedNames()).doesNotContain(name);
    }

    @Test
    void aMissingEmptyOrTooLongNameIsRejected() {
        assertValidationFailed(api.post(SERVICE_KEYS, OPERATOR, Api.json("service", "CCS")), "name");
        assertValidationFailed(api.post(SERVICE_KEYS, OPERATOR, Api.json("name", "")), "name");
        assertValidationFailed(api.post(SERVICE_KEYS, OPERATOR, Api.json("name", "n".repeat(101))), "name");
    }

    @Test
    void memberAndServiceKeysMayNotManageServiceKeys() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        Api.Response existing = createServiceKey(uniqueName("existing"), "CCS");
        String service = existing.text("key");
        String name = uniqueName("sneaky");

        for (String caller : List.of(admin, service)) {
            assertProblem(api.post(SERVICE_KEYS, caller, Api.json("name", name)), 403, "FORBIDDEN");
            assertProblem(api.get(SERVICE_KEYS, caller), 403, "FORBIDDEN");
            assertProblem(api.delete(SERVICE_KEYS + "/" + existing.text("keyId"), caller), 403, "FORBIDDEN");
        }
        assertThat(listedNames()).doesNotContain(name);
        assertThat(listed(existing.text("keyId"))).isNotNull();
    }

    @Test
    void theListShowsServiceKeysWithoutSecrets() {
        Api.Response ccs = createServiceKey(uniqueName("list-ccs"), "CCS");
        Api.Response all = createServiceKey(uniqueName("list-all"), null);
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response memberKey = createKey(project, "bob");

        Api.Response list = api.get(SERVICE_KEYS, OPERATOR);

        assertThat(list.status()).isEqualTo(200);
        List<String> ids = list.body().path("keys").findValuesAsString("keyId");
        assertThat(ids).contains(ccs.text("keyId"), all.text("keyId")).doesNotContain(memberKey.text("keyId"));
        JsonNode listed = listed(ccs.text("keyId"));
        assertThat(listed.path("name").asString()).isEqualTo(ccs.text("name"));
        assertThat(listed.path("maskedKey").asString()).isEqualTo(ccs.text("maskedKey"));
        assertThat(listed.path("service").asString()).isEqualTo("CCS");
        assertThat(listed.path("createdAt").asString()).isEqualTo(ccs.text("createdAt"));
        for (JsonNode key : list.body().path("keys").values()) {
            assertThat(key.has("key")).as(key.toString()).isFalse();
        }
        assertThat(list.raw()).doesNotContain(ccs.text("key")).doesNotContain(all.text("key"));
        assertThat(list.raw()).doesNotContainPattern("kq_[0-9A-Za-z]{38}");
    }

    @Test
    void aDeletedServiceKeyStopsAuthenticatingAndASecondDeleteIsNotFound() {
        Api.Response created = createServiceKey(uniqueName("doomed"), "VCS");
        String secret = created.text("key");
        assertThat(api.get("/api/v1/me", secret).status()).isEqualTo(200);

        Api.Response deleted = api.delete(SERVICE_KEYS + "/" + created.text("keyId"), OPERATOR);

        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);
        assertProblem(api.get("/api/v1/me", secret), 401, "UNAUTHENTICATED");
        assertProblem(api.post("/api/v1/keys/verify", secret, Api.json("key", secret)), 401, "UNAUTHENTICATED");
        assertThat(listed(created.text("keyId"))).isNull();
        assertProblem(api.delete(SERVICE_KEYS + "/" + created.text("keyId"), OPERATOR), 404, "KEY_NOT_FOUND");
        Api.Response verified = api.post("/api/v1/keys/verify", OPERATOR, Api.json("key", secret));
        assertThat(verified.text("code")).isEqualTo("REVOKED");
    }

    @Test
    void deletingAnUnknownOrNonServiceKeyIsNotFound() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response memberKey = createKey(project, "bob");

        assertProblem(api.delete(SERVICE_KEYS + "/" + UUID.randomUUID(), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.delete(SERVICE_KEYS + "/not-a-uuid", OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.delete(SERVICE_KEYS + "/" + memberKey.text("keyId"), OPERATOR), 404, "KEY_NOT_FOUND");
        String operatorKeyId = api.get("/api/v1/me", OPERATOR).text("keyId");
        assertProblem(api.delete(SERVICE_KEYS + "/" + operatorKeyId, OPERATOR), 404, "KEY_NOT_FOUND");

        assertThat(api.get("/api/v1/me", memberKey.text("key")).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", OPERATOR).status()).isEqualTo(200);
    }

    @Test
    void aServiceKeyCannotManageProjects() {
        String service = createServiceKey(uniqueName("svc"), "CCS").text("key");
        String project = createProject();

        assertProblem(api.post("/api/v1/projects", service, Api.json("projectId", "svc" + UUID.randomUUID()
                .toString().substring(0, 8), "name", "n")), 403, "FORBIDDEN");
        assertProblem(api.put("/api/v1/projects/" + project + "/members/bob", service, Api.json("role", "TENANT_USER")),
                403, "FORBIDDEN");
    }
}
