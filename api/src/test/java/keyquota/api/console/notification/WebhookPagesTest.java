package keyquota.api.console.notification;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's webhooks page: for tenant admins and the operator, with the API's rules. */
class WebhookPagesTest extends ApiTest {

    private static final String PUBLIC_TARGET = "https://203.0.113.10/hooks/keyquota";

    @Test
    void aTenantAdminAddsAWebhookSeesItsSecretOnceItsDeliveriesAndDeletesIt() {
        String projectId = createProject();
        ConsoleClient admin = new ConsoleClient(port);
        admin.signIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        String page = admin.get("/webhooks").body();
        assertThat(page).contains("No webhooks yet.").contains("id=\"nav-webhooks\"");
        assertThat(admin.htmx("/webhooks/new").body()).contains("id=\"create-webhook-dialog\"")
                .doesNotContain("id=\"projectId\"");

        ConsoleClient.Page bad = admin.post("/webhooks", Map.of("url", "http://127.0.0.1/hook"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("id=\"url-error\"").contains("https:// URL on a public address");
        assertThat(admin.post("/webhooks", Map.of()).body()).contains("id=\"url-error\"").contains("Required.");

        ConsoleClient.Page created = admin.post("/webhooks", Map.of("url", PUBLIC_TARGET,
                "types", List.of("KEY_DELETED", "KEY_EXPIRING")));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.header("HX-Trigger")).isEqualTo("webhooks-changed");
        String secret = created.body().replaceAll("(?s).*id=\"webhook-secret\">([^<]+)<.*", "$1");
        assertThat(secret).startsWith("whsec_");
        assertThat(created.body()).contains("will not be shown again");

        String table = admin.htmx("/webhooks", "webhooks-table").body();
        assertThat(table).startsWith("<div id=\"webhooks-table\"").contains(PUBLIC_TARGET)
                .contains("KEY_DELETED, KEY_EXPIRING").doesNotContain(secret);
        String webhookId = table.replaceAll("(?s).*data-webhook-id=\"([^\"]+)\".*", "$1");
        assertThat(admin.htmx("/webhooks/" + webhookId + "/deliveries").body())
                .contains("id=\"deliveries-dialog\"").contains("No deliveries yet.");
        assertThat(admin.post("/webhooks/" + webhookId + "/delete", Map.of()).body()).contains("Webhook deleted");
        assertThat(admin.get("/webhooks").body()).doesNotContain(PUBLIC_TARGET);
        assertThat(admin.htmx("/webhooks/" + webhookId + "/deliveries").status()).isEqualTo(404);
    }

    @Test
    void aTenantUserIsRefusedAndTheOperatorChoosesTheProject() {
        String projectId = createProject();
        ConsoleClient user = new ConsoleClient(port);
        user.signIn(memberKey(projectId, "bob", "TENANT_USER"));
        assertThat(user.get("/webhooks").status()).isEqualTo(403);
        assertThat(user.get("/projects/" + projectId + "/keys").body()).doesNotContain("id=\"nav-webhooks\"");

        ConsoleClient operator = new ConsoleClient(port);
        operator.signIn(OPERATOR);
        assertThat(operator.htmx("/webhooks/new").body()).contains("id=\"projectId\"");
        assertThat(operator.post("/webhooks", Map.of("url", PUBLIC_TARGET, "projectId", "NO-SUCH")).body())
                .contains("id=\"projectId-error\"").contains("No such project.");
        assertThat(operator.post("/webhooks", Map.of("url", PUBLIC_TARGET, "projectId", projectId)).status())
                .isEqualTo(200);
        assertThat(operator.get("/webhooks").body()).contains(projectId);
    }
}
