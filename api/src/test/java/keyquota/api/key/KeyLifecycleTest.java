package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class KeyLifecycleTest extends ApiTest {

    @Test
    void aMemberCreatesListsExtendsAndDeletesTheirKey() {
        String project = createProject();
        String alice = memberKey(project, "alice", "TENANT_USER");

        Api.Response created = api.post("/api/v1/projects/" + project + "/keys", alice,
                Api.json("name", "laptop", "validDays", 10));
        assertThat(created.status()).isEqualTo(201);
        String keyId = created.text("keyId");
        assertThat(created.text("key")).hasSize(41).startsWith("kq_");
        assertThat(created.text("maskedKey")).isEqualTo(created.text("key").substring(0, 7) + "…"
                + created.text("key").substring(37));
        assertThat(created.text("status")).isEqualTo("ACTIVE");
        Instant expiry = Instant.parse(created.text("expiresAt"));
        assertThat(Duration.between(Instant.parse(created.text("createdAt")), expiry)).isEqualTo(Duration.ofDays(10));

        Api.Response list = api.get("/api/v1/projects/" + project + "/keys", alice);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("keys").findValuesAsString("keyId")).contains(keyId);
        assertThat(list.raw()).doesNotContain(created.text("key"));

        Api.Response extended = api.post("/api/v1/projects/" + project + "/keys/" + keyId + "/extend", alice,
                Api.json("days", 5));
        assertThat(extended.status()).as(extended.raw()).isEqualTo(200);
        assertThat(Instant.parse(extended.text("expiresAt"))).isEqualTo(expiry.plus(Duration.ofDays(5)));

        assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + keyId, alice).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + project + "/keys/" + keyId, alice).code())
                .isEqualTo("KEY_NOT_FOUND");
        assertThat(api.get("/api/v1/me", created.text("key")).status()).isEqualTo(401);
    }

    @Test
    void anExpiredKeyIsRefusedWithKeyExpired() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String bob = api.post("/api/v1/projects/" + project + "/keys", OPERATOR,
                Api.json("userId", "bob", "validDays", 1)).text("key");
        assertThat(api.get("/api/v1/me", bob).status()).isEqualTo(200);

        clock.advance(Duration.ofDays(2));

        Api.Response refused = api.get("/api/v1/me", bob);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("KEY_EXPIRED");
        assertThat(refused.text("detail")).isEqualTo("Key is expired.");
    }
}
