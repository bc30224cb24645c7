package keyquota.api.console.operator;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The service keys page over HTTP: the list, creating one (its secret shown once), deleting one; only the operator. */
class ServiceKeyPagesTest extends ApiTest {

    private static final String PAGE = "/service-keys";

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        return browser;
    }

    private int serviceKeyCount() {
        return api.get("/api/v1/service-keys", OPERATOR).body().path("keys").size();
    }

    @Test
    void createsAKeyShowingItsSecretOnceAndTheKeyWorks() {
        ConsoleClient operator = signedIn(OPERATOR);
        assertThat(operator.htmx(PAGE + "/new").body()).contains("id=\"create-service-key-dialog\"")
                .contains("<option value=\"\">All services</option>")
                .contains("<option value=\"CCS\">Container Compute Service (CCS)</option>")
                .contains("<option value=\"VCS\">Virtual Compute Service (VCS)</option>");
        String name = "ccs verifier " + UUID.randomUUID();
        ConsoleClient.Page created = operator.post(PAGE, Map.of("name", name, "service", "CCS"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("HX-Trigger")).isEqualTo("service-keys-changed");
        assertThat(created.body()).contains("id=\"secret-dialog\"").contains("will not be shown again")
                .contains("id=\"copy-secret\"").contains("for CCS");
        String secret = created.body().replaceAll("(?s).*id=\"secret\">([^<]+)<.*", "$1");
        Api.Response me = api.get("/api/v1/me", secret);
        assertThat(me.text("type")).isEqualTo("SERVICE");
        assertThat(me.text("service")).isEqualTo("CCS");

        String projectId = createProject();
        String memberKey = memberKey(projectId, "bob", "TENANT_USER");
        Api.Response verified = api.post("/api/v1/keys/verify", secret, Api.json("key", memberKey));
        assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
        assertThat(verified.text("code")).isEqualTo("VALID");

        String table = operator.htmx(PAGE, "service-keys-table").body();
        assertThat(table).startsWith("<div id=\"service-keys-table\"").contains(name).contains(me.text("keyId"))
                .doesNotContain(secret);
        assertThat(operator.get(PAGE).body()).doesNotContain(secret);
        ConsoleClient.Page forAll = operator.post(PAGE, Map.of("name", "all " + UUID.randomUUID(), "service", ""));
        assertThat(forAll.body()).contains("for all services");
    }

    @Test
    void badValuesAreShownNextToTheirFieldsAndChangeNothing() {
        ConsoleClient operator = signedIn(OPERATOR);
        int before = serviceKeyCount();
        ConsoleClient.Page blank = operator.post(PAGE, Map.of("name", " ", "service", ""));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.body()).contains("id=\"name-error\"").contains("Required.")
                .doesNotContain("id=\"secret\"");
        assertThat(operator.post(PAGE, Map.of("name", "x".repeat(101))).body()).contains("At most 100 characters.");
        ConsoleClient.Page service = operator.post(PAGE, Map.of("name", "ok", "service", "XYZ"));
        assertThat(service.status()).isEqualTo(422);
        assertThat(service.body()).contains("id=\"service-error\"").contains("No such service.");
        assertThat(serviceKeyCount()).isEqualTo(before);
    }

    @Test
    void deletesAKeyAfterConfirmation() {
        Api.Response created = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "to delete"));
        String keyId = created.text("keyId");
        ConsoleClient operator = signedIn(OPERATOR);
        String dialog = operator.htmx(PAGE + "/" + keyId + "/delete").body();
        assertThat(dialog).contains("id=\"delete-service-key-dialog\"").contains("Delete service key to delete?")
                .contains(created.text("maskedKey")).contains("cannot be undone");
        ConsoleClient.Page deleted = operator.post(PAGE + "/" + keyId + "/delete", Map.of());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).contains("Service key to delete (" + created.text("maskedKey") + ") deleted.");
        assertThat(deleted.header("HX-Trigger")).isEqualTo("service-keys-changed");
        assertThat(api.get("/api/v1/me", created.text("key")).status()).isEqualTo(401);
        assertThat(operator.post(PAGE + "/" + keyId + "/delete", Map.of()).status()).isEqualTo(404);
        assertThat(operator.htmx(PAGE + "/not-a-uuid/delete").status()).isEqualTo(400);
    }

    @Test
    void membersAreRefused() {
        Api.Response existing = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "kept"));
        String projectId = createProject();
        for (String role : new String[]{"TENANT_ADMIN", "TENANT_USER"}) {
            ConsoleClient member = signedIn(memberKey(projectId, "m-" + role.toLowerCase(), role));
            int before = serviceKeyCount();
            ConsoleClient.Page page = member.get(PAGE);
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.body()).doesNotContain(existing.text("maskedKey"));
            assertThat(member.htmx(PAGE + "/new").status()).isEqualTo(403);
            ConsoleClient.Page create = member.post(PAGE, Map.of("name", "mine"));
            assertThat(create.status()).isEqualTo(403);
            assertThat(create.body()).doesNotContain("id=\"secret\"");
            assertThat(member.htmx(PAGE + "/" + existing.text("keyId") + "/delete").status()).isEqualTo(403);
            assertThat(member.post(PAGE + "/" + existing.text("keyId") + "/delete", Map.of()).status())
                    .isEqualTo(403);
            assertThat(serviceKeyCount()).isEqualTo(before);
        }
        assertThat(api.get("/api/v1/me", existing.text("key")).status()).isEqualTo(200);
    }
}
