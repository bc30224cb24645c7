package keyquota.api.console.operator;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator's projects page over HTTP: the table, its pages, creating a project; members are refused. */
class ProjectPagesTest extends ApiTest {

    private ConsoleClient operator() {
        ConsoleClient operator = new ConsoleClient(port);
        operator.signIn(OPERATOR);
        return operator;
    }

    /** Creation times are kept to the second: a project made after this is the only newest one. */
    private void nextSecond() {
        long now = clock.instant().getEpochSecond();
        await().until(() -> clock.instant().getEpochSecond() > now);
    }

    @Test
    void theOperatorStartsHereAndSeesEveryProjectNewestFirstWithItsPages() {
        nextSecond();
        String projectId = createProject();
        ConsoleClient operator = operator();
        assertThat(operator.get("/").location()).endsWith("/projects");
        String page = operator.get("/projects").body();
        assertThat(page).contains("data-project-id=\"" + projectId + "\"")
                .contains("href=\"/projects/" + projectId + "/members\"")
                .contains("href=\"/projects/" + projectId + "/keys\"")
                .contains("href=\"/projects/" + projectId + "/quotas\"")
                .contains("href=\"/service-keys\"").contains("href=\"/read-models\"").contains("href=\"/dead-letters\"");
        assertThat(page.indexOf("data-project-id=")).as("the newest comes first")
                .isEqualTo(page.indexOf("data-project-id=\"" + projectId + "\""));
        assertThat(operator.htmx("/projects", "projects-table").body()).startsWith("<div id=\"projects-table\"");
    }

    @Test
    void pagesThroughMany() {
        for (int i = 0; i <= ProjectPageController.PAGE_SIZE; i++) {
            createProject();
        }
        ConsoleClient operator = operator();
        String first = operator.htmx("/projects", "projects-table").body();
        assertThat(rows(first)).isEqualTo(ProjectPageController.PAGE_SIZE);
        String next = first.replaceAll("(?s).*id=\"next-page\" href=\"([^\"]+)\".*", "$1");
        String second = operator.htmx(next, "projects-table").body();
        assertThat(rows(second)).isPositive();
        assertThat(second).contains("id=\"first-page\"");
        String lastOfFirst = first.replaceAll("(?s).*data-project-id=\"([^\"]+)\".*", "$1");
        assertThat(second).doesNotContain("data-project-id=\"" + lastOfFirst + "\"");
    }

    @Test
    void createsAProject() {
        ConsoleClient operator = operator();
        assertThat(operator.htmx("/projects/new").body()).contains("id=\"create-project-dialog\"")
                .contains("id=\"projectId-hint\"");
        String projectId = "GOV" + UUID.randomUUID().toString().substring(0, 8);
        nextSecond();
        ConsoleClient.Page created = operator.post("/projects", Map.of("projectId", projectId, "name", "Rain study"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("HX-Trigger")).isEqualTo("projects-changed");
        assertThat(created.body()).contains("hx-swap-oob")
                .contains("Project Rain study (" + projectId + ") created.");
        assertThat(api.get("/api/v1/projects/" + projectId, OPERATOR).text("name")).isEqualTo("Rain study");
        assertThat(operator.htmx("/projects", "projects-table").body()).contains(projectId);
    }

    @Test
    void badValuesAreShownNextToTheirFieldsAndChangeNothing() {
        ConsoleClient operator = operator();
        ConsoleClient.Page blank = operator.post("/projects", Map.of("projectId", "", "name", ""));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.body()).contains("id=\"projectId-error\"").contains("id=\"name-error\"")
                .contains("Required.").contains("aria-describedby=\"projectId-error projectId-hint\"");
        String bad = "-starts-badly";
        ConsoleClient.Page shape = operator.post("/projects", Map.of("projectId", bad, "name", "x"));
        assertThat(shape.status()).isEqualTo(422);
        assertThat(shape.body()).contains("Use 2 to 64 letters").contains("value=\"" + bad + "\"");
        String fresh = "P" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(operator.post("/projects", Map.of("projectId", fresh, "name", "x".repeat(101))).body())
                .contains("At most 100 characters.");
        assertThat(operator.post("/projects", Map.of("projectId", fresh, "name", "nul\u0000")).body())
                .contains("id=\"name-error\"").contains("Not a valid value.");
        assertThat(api.get("/api/v1/projects/" + fresh, OPERATOR).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + bad, OPERATOR).status()).isIn(400, 404);

        String existing = createProject();
        ConsoleClient.Page exists = operator.post("/projects", Map.of("projectId", existing, "name", "Another"));
        assertThat(exists.status()).isEqualTo(422);
        assertThat(exists.body()).contains("id=\"projectId-error\"").contains("A project with this ID exists already.");
        assertThat(api.get("/api/v1/projects/" + existing, OPERATOR).text("name")).isEqualTo("Project " + existing);
    }

    @Test
    void membersAreRefusedAsByTheApi() {
        String projectId = createProject();
        for (String role : new String[]{"TENANT_ADMIN", "TENANT_USER"}) {
            ConsoleClient member = new ConsoleClient(port);
            member.signIn(memberKey(projectId, "m-" + role.toLowerCase(), role));
            ConsoleClient.Page page = member.get("/projects");
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.body()).contains("You may not do this.").doesNotContain(projectId + "\"");
            assertThat(member.htmx("/projects", "projects-table").header("HX-Retarget")).isEqualTo("#status");
            assertThat(member.htmx("/projects/new").status()).isEqualTo(403);
            String wanted = "P" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(member.post("/projects", Map.of("projectId", wanted, "name", "x")).status()).isEqualTo(403);
            assertThat(api.get("/api/v1/projects/" + wanted, OPERATOR).status()).isEqualTo(404);
            assertThat(member.get("/projects/" + projectId + "/keys").body()).doesNotContain("href=\"/projects\"")
                    .doesNotContain("href=\"/service-keys\"");
        }
    }

    private static int rows(String html) {
        return html.split("<tr data-project-id=", -1).length - 1;
    }
}
