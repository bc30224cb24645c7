package keyquota.api.console.operator;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.AuditFaultInjector;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dead letters page over HTTP: a poison event of the audit read model (AuditFaultInjector) is listed; a retry
 * while the fault lasts leaves it parked, one after the fix projects it; the outcome is announced. Only the operator.
 */
class DeadLetterPagesTest extends ApiTest {

    private static final String PAGE = "/dead-letters";

    @Test
    void listsAParkedEventAndRetriesIt() {
        String poisoned = "DLQ-" + UUID.randomUUID().toString().substring(0, 8);
        ConsoleClient operator = new ConsoleClient(port);
        operator.signIn(OPERATOR);
        AuditFaultInjector.poison(poisoned);
        try {
            Api.Response created = api.post("/api/v1/projects", OPERATOR,
                    Api.json("projectId", poisoned, "name", "Poisoned"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> operator.get(PAGE).body()
                    .contains("Injected audit fault for project " + poisoned));
            String page = operator.get(PAGE).body();
            assertThat(page).contains("id=\"retry-dead-letters\"").contains(">audit</code>")
                    .contains("keyquota.domain.project.ProjectCreated").contains("of " + poisoned)
                    .contains(IllegalStateException.class.getName()).contains("<time datetime=\"");
            assertThat(operator.htmx(PAGE, "dead-letters-table").body()).startsWith("<div id=\"dead-letters-table\"")
                    .contains(poisoned);

            ConsoleClient.Page failed = operator.post(PAGE + "/retry", Map.of());
            assertThat(failed.status()).isEqualTo(200);
            assertThat(failed.body().strip()).startsWith("<div id=\"dead-letters-table\"").contains(poisoned)
                    .contains("hx-swap-oob").contains("No event went through;").contains("last tried");

            AuditFaultInjector.heal();
            ConsoleClient.Page fixed = operator.post(PAGE + "/retry", Map.of());
            assertThat(fixed.body()).contains("1 event went through;").doesNotContain(poisoned);
            assertThat(operator.get(PAGE).body()).doesNotContain(poisoned);
        } finally {
            AuditFaultInjector.heal();
            api.post("/api/v1/admin/dead-letters/retry", OPERATOR, "{}");
        }
    }

    @Test
    void membersAreRefused() {
        String projectId = createProject();
        for (String role : new String[]{"TENANT_ADMIN", "TENANT_USER"}) {
            ConsoleClient member = new ConsoleClient(port);
            member.signIn(memberKey(projectId, "m-" + role.toLowerCase(), role));
            assertThat(member.get(PAGE).status()).isEqualTo(403);
            assertThat(member.htmx(PAGE, "dead-letters-table").status()).isEqualTo(403);
            assertThat(member.post(PAGE + "/retry", Map.of()).status()).isEqualTo(403);
        }
    }
}
