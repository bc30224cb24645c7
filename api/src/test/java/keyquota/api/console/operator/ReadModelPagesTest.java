package keyquota.api.console.operator;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read models page over HTTP: where each stands, rebuilding one with its progress polled; only the operator. */
class ReadModelPagesTest extends ApiTest {

    private static final String PAGE = "/read-models";

    @Test
    void listsEveryReadModelAndRebuildsOneWhileTheTablePollsItsProgress() {
        createProject();
        ConsoleClient operator = new ConsoleClient(port);
        operator.signIn(OPERATOR);
        String page = operator.get(PAGE).body();
        for (String name : new String[]{"projects", "members", "keys", "quotas", "audit"}) {
            assertThat(page).contains("data-read-model=\"" + name + "\"").contains("id=\"replay-" + name + "\"");
        }
        assertThat(page).contains("Up to date").doesNotContain("every 1s").doesNotContain("hx-get=\"/read-models");

        ConsoleClient.Page started = operator.post(PAGE + "/keys/replay", Map.of());
        assertThat(started.status()).isEqualTo(200);
        // the table comes back rebuilding, polling itself, and the live region says the rebuild started
        assertThat(started.body().strip()).startsWith("<div id=\"read-models-table\"")
                .contains("data-read-model=\"keys\" data-replaying=\"true\"").contains("id=\"progress-keys\"")
                .contains("Rebuilding: ").contains("hx-trigger=\"every 1s\"")
                .contains("hx-get=\"/read-models?rebuilding=keys\"")
                .contains("hx-swap-oob").contains("Rebuilding Keys from the event store.");

        AtomicReference<String> poll = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            poll.set(operator.htmx(PAGE + "?rebuilding=keys", "read-models-table").body());
            return poll.get().contains("data-read-model=\"keys\" data-replaying=\"false\"");
        });
        // the poll that sees the rebuild over says so, and polls no more
        assertThat(poll.get()).contains("Keys rebuilt.").doesNotContain("every 1s");
        assertThat(api.get("/api/v1/admin/projections", OPERATOR).body().path("projections").valueStream()
                .filter(p -> p.path("name").asString().equals("keys")).findFirst().orElseThrow()
                .path("replaying").asBoolean()).isFalse();
        assertThat(operator.htmx(PAGE, "read-models-table").body()).doesNotContain("rebuilt.");

        ConsoleClient.Page unknown = operator.post(PAGE + "/nothing/replay", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("HX-Retarget")).isEqualTo("#status");
    }

    @Test
    void membersAreRefused() {
        String projectId = createProject();
        for (String role : new String[]{"TENANT_ADMIN", "TENANT_USER"}) {
            ConsoleClient member = new ConsoleClient(port);
            member.signIn(memberKey(projectId, "m-" + role.toLowerCase(), role));
            assertThat(member.get(PAGE).status()).isEqualTo(403);
            assertThat(member.htmx(PAGE, "read-models-table").status()).isEqualTo(403);
            ConsoleClient.Page replay = member.post(PAGE + "/projects/replay", Map.of());
            assertThat(replay.status()).isEqualTo(403);
            assertThat(replay.body()).doesNotContain("read-models-table");
        }
    }
}
