package keyquota.api.console.operator;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.ApiTest;
import keyquota.infrastructure.readmodel.ReadModel;
import keyquota.projections.ReadModels;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read models page over HTTP: where each stands, rebuilding one with its progress polled; only the operator. */
class ReadModelPagesTest extends ApiTest {

    private static final String PAGE = "/read-models";

    @Autowired
    private ReadModels readModels;

    @Test
    void listsEveryReadModelAndRebuildsOneWhileTheTablePollsItsProgress() {
        createProject();
        ConsoleClient operator = new ConsoleClient(port);
        operator.signIn(OPERATOR);
        String page = operator.get(PAGE).body();
        for (ReadModel model : readModels.all()) {
            assertThat(page).contains("data-read-model=\"" + model.name() + "\"")
                    .contains("id=\"replay-" + model.name() + "\"");
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

    /** The table names each read model in words, in both languages, not by its technical name. */
    @Test
    void everyReadModelHasANameInBothLanguages() throws IOException {
        for (String bundle : List.of("/messages.properties", "/messages_zh_TW.properties")) {
            Properties words = new Properties();
            try (Reader in = new InputStreamReader(getClass().getResourceAsStream(bundle), StandardCharsets.UTF_8)) {
                words.load(in);
            }
            for (ReadModel model : readModels.all()) {
                assertThat(words).as(bundle).containsKey("readModels.name." + model.name());
            }
        }
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
