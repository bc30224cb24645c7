package keyquota.api.console.quota;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource quota management screen over HTTP: each page, fragment and form, for each role, with the API's
 * rules, checked against the API. The browser scenarios are in {@link QuotaBrowserTest}.
 */
class QuotaPagesTest extends ApiTest {

    private String projectId;
    private String quotas;
    private String ccs;

    /** A project with CCS quota cpu 10, gpu 2, memory 64, and bob (a tenant user) using 4 cpu. */
    @BeforeEach
    void project() {
        projectId = createProject();
        quotas = "/projects/" + projectId + "/quotas";
        ccs = quotas + "/CCS";
        addMember(projectId, "bob", "TENANT_USER");
        setProjectQuota(Map.of("cpu", 10, "gpu", 2, "memory", 64));
        allocate("bob", Map.of("cpu", 4));
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        return browser;
    }

    private ConsoleClient tenantAdmin() {
        return signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
    }

    @Nested
    class ThePage {

        @Test
        void aTenantAdminSeesTheProjectsBarsAndEveryMember() {
            ConsoleClient admin = tenantAdmin();
            ConsoleClient.Page page = admin.get(quotas);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>Resource quota management</h1>")
                    .contains("href=\"" + ccs + "\" aria-current=\"page\"")
                    .contains("<meter min=\"0\" max=\"10\" value=\"4\"").contains("4 / 10 (40%)")
                    .contains("0 / 2 (0%)").contains("data-user-id=\"bob\"").contains("data-user-id=\"alice\"")
                    .contains("id=\"edit-bob\"").contains("aria-label=\"Edit the quota of bob\"")
                    .contains("4 used, no member cap").contains("Within quota")
                    .doesNotContain("id=\"edit-project-quota\"");
            assertThat(admin.get(quotas + "/VCS").body()).contains("Floating IPs (count)")
                    .contains("href=\"" + quotas + "/VCS\" aria-current=\"page\"");
            assertThat(admin.htmx(ccs, "quota-view").body()).startsWith("<div id=\"quota-view\"")
                    .contains("hx-trigger=\"quotas-changed from:body\"").doesNotContain("<h1>");
            assertThat(admin.get("/projects/" + projectId + "/keys").body())
                    .contains("<a href=\"" + quotas + "\">Resource quota management</a>");
        }

        @Test
        void unlimitedAndOverQuotaAreSaidInWords() {
            setProjectQuota(Map.of("gpu", -1));
            assertThat(setMemberQuota("bob", "?force=true", Map.of("cpu", 2)).status()).isEqualTo(200);
            String page = tenantAdmin().get(ccs).body();
            assertThat(page).contains("0 used, unlimited quota").contains("4 / 2 (200%)").contains("over quota")
                    .contains("Over quota");
        }

        @Test
        void aTenantUserSeesTheTotalsAndOnlyTheirOwnRowReadOnly() {
            memberKey(projectId, "alice", "TENANT_ADMIN");
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            String page = bob.get(ccs).body();
            assertThat(page).contains("4 / 10 (40%)").contains("data-user-id=\"bob\"")
                    .doesNotContain("data-user-id=\"alice\"").doesNotContain("edit-member")
                    .doesNotContain("edit-project-quota").contains("Only your own row is shown.");
            // refused as the API refuses a tenant user: 403, and nothing changes
            assertThat(bob.htmx(ccs + "/members/bob").status()).isEqualTo(403);
            assertThat(bob.htmx(ccs + "/members/bob/check?cpu=5").status()).isEqualTo(403);
            ConsoleClient.Page refused = bob.post(ccs + "/members/bob", Map.of("cpu", "5"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("HX-Retarget")).isEqualTo("#status");
            assertThat(bob.post(ccs + "/members/alice", Map.of("cpu", "5")).status()).isEqualTo(403);
            assertThat(bob.post(ccs + "/project", Map.of("cpu", "50")).status()).isEqualTo(403);
            assertThat(setMemberQuota("bob", "", Map.of("cpu", 5), keyFor(projectId, "bob")).status())
                    .isEqualTo(403);
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(-1);
            assertThat(memberQuota("alice").path("cpu").asLong()).isEqualTo(-1);
            assertThat(projectQuota().path("cpu").asLong()).isEqualTo(10);
        }

        @Test
        void anotherProjectIsNotFoundForItsAdmin() {
            String other = createProject();
            ConsoleClient eve = signedIn(memberKey(other, "eve", "TENANT_ADMIN"));
            ConsoleClient.Page page = eve.get(ccs);
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.body()).contains("No such project.");
            assertThat(eve.get(quotas).status()).isEqualTo(404);
            ConsoleClient.Page dialog = eve.htmx(ccs + "/members/bob");
            assertThat(dialog.status()).isEqualTo(404);
            assertThat(dialog.header("HX-Retarget")).isEqualTo("#status");
            assertThat(eve.post(ccs + "/members/bob", Map.of("cpu", "5")).status()).isEqualTo(404);
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(-1);
        }

        @Test
        void anUnknownServiceOrMemberIsNotFound() {
            ConsoleClient admin = tenantAdmin();
            ConsoleClient.Page page = admin.get(quotas + "/NOPE");
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.body()).contains("No such service.");
            assertThat(admin.get(quotas + "/ccs").status()).isEqualTo(404);
            assertThat(admin.htmx(quotas + "/NOPE/members/bob").status()).isEqualTo(404);
            ConsoleClient.Page nobody = admin.htmx(ccs + "/members/nobody");
            assertThat(nobody.status()).isEqualTo(404);
            assertThat(nobody.body()).contains("Not a member of this project.");
            assertThat(admin.post(ccs + "/members/nobody", Map.of("cpu", "1")).status()).isEqualTo(404);
            ConsoleClient operator = signedIn(OPERATOR);
            assertThat(operator.get("/projects/NO-SUCH/quotas").status()).isEqualTo(404);
        }
    }

    @Nested
    class EditingAMember {

        @Test
        void theDialogShowsUsageAndTheAcceptableRange() {
            ConsoleClient.Page dialog = tenantAdmin().htmx(ccs + "/members/bob");
            assertThat(dialog.status()).isEqualTo(200);
            assertThat(dialog.body()).contains("id=\"quota-dialog\"").contains("Edit the CCS quota of bob")
                    .contains("id=\"quota-cpu\" name=\"cpu\"").contains("value=\"-1\"").contains("Usage: 4.")
                    .contains("Acceptable: from 4 to 10, or -1.").contains("Acceptable: from 0 to 2, or -1.")
                    .contains("hx-get=\"" + ccs + "/members/bob/check\"").doesNotContain("id=\"force\"");
        }

        @Test
        void theLiveCheckGivesEachFieldTheRulesAnswer() {
            ConsoleClient admin = tenantAdmin();
            String check = ccs + "/members/bob/check?gpu=-1&memory=-1&cpu=";
            String above = admin.htmx(check + "12").body();
            assertThat(above).contains("id=\"quota-cpu-check\" hx-swap-oob=\"innerHTML\"")
                    .contains("id=\"quota-cpu-error\"").contains("Above the project quota of 10.")
                    .contains("Acceptable: from 4 to 10, or -1.").doesNotContain("id=\"force\"");
            String below = admin.htmx(check + "3").body();
            assertThat(below).contains("id=\"quota-cpu-warning\"").contains("Below the usage of 4.")
                    .contains("id=\"force\"").contains("Some values are set only with force.")
                    .doesNotContain("id=\"quota-cpu-error\"");
            assertThat(admin.htmx(check + "3&force=true").body()).contains("checked=\"checked\"");
            String fits = admin.htmx(check + "6").body();
            assertThat(fits).doesNotContain("quota-cpu-error").doesNotContain("quota-cpu-warning")
                    .doesNotContain("id=\"force\"");
            assertThat(admin.htmx(check + "x").body()).contains("Enter a whole number.");
            assertThat(admin.htmx(check + "-2").body()).contains("Enter -1 or a whole number from 0 up.");
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(-1);
        }

        @Test
        void savingClosesTheDialogAnnouncesItAndReloadsTheView() {
            ConsoleClient admin = tenantAdmin();
            ConsoleClient.Page saved = admin.post(ccs + "/members/bob", form("6", "-1", "-1", false));
            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.header("HX-Trigger")).isEqualTo("quotas-changed");
            assertThat(saved.body()).contains("hx-swap-oob").contains("The CCS quota of bob is saved.")
                    .doesNotContain("<dialog");
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(6);
            assertThat(memberQuota("bob").path("gpu").asLong()).isEqualTo(-1);
            assertThat(admin.htmx(ccs, "quota-view").body()).contains("4 / 6 (67%)");
        }

        @Test
        void belowUsageIsSetOnlyWithForce() {
            ConsoleClient admin = tenantAdmin();
            ConsoleClient.Page unforced = admin.post(ccs + "/members/bob", form("3", "-1", "-1", false));
            assertThat(unforced.status()).isEqualTo(422);
            assertThat(unforced.body()).contains("id=\"quota-dialog\"").contains("id=\"quota-cpu-warning\"")
                    .contains("Below the usage of 4.").contains("id=\"force-error\"")
                    .contains("Tick force to set these values.").contains("value=\"3\"");
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(-1);

            ConsoleClient.Page forced = admin.post(ccs + "/members/bob", form("3", "-1", "-1", true));
            assertThat(forced.status()).isEqualTo(200);
            assertThat(forced.body()).contains("saved, below usage");
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(3);
            assertThat(memberRow("bob").path("overQuota").asBoolean()).isTrue();
            assertThat(admin.htmx(ccs, "quota-view").body()).contains("4 / 3 (133%)").contains("Over quota");
        }

        @Test
        void ruleRejectionsAreShownNextToTheirFieldAndChangeNothing() {
            ConsoleClient admin = tenantAdmin();
            ConsoleClient.Page above = admin.post(ccs + "/members/bob", form("12", "-1", "-1", true));
            assertThat(above.status()).isEqualTo(422);
            assertThat(above.body()).contains("id=\"quota-cpu-error\"").contains("Above the project quota of 10.")
                    .contains("aria-invalid=\"true\" aria-describedby=\"quota-cpu-check\"");
            ConsoleClient.Page notANumber = admin.post(ccs + "/members/bob", form("ten", "-1", "-1", false));
            assertThat(notANumber.status()).isEqualTo(422);
            assertThat(notANumber.body()).contains("id=\"quota-cpu-error\"").contains("Enter a whole number.");
            assertThat(admin.post(ccs + "/members/bob", form("", "-1", "-1", false)).body()).contains("Required.");
            assertThat(admin.post(ccs + "/members/bob", form("-5", "-1", "-1", false)).body())
                    .contains("Enter -1 or a whole number from 0 up.");
            assertThat(admin.post(ccs + "/members/bob", form("99999999999999999999", "-1", "-1", false)).body())
                    .contains("Enter a whole number.");
            ConsoleClient.Page unchanged = admin.post(ccs + "/members/bob", form("-1", "-1", "-1", false));
            assertThat(unchanged.status()).isEqualTo(422);
            assertThat(unchanged.body()).contains("id=\"form-error\"").contains("Change a value first.");
            assertThat(amounts(memberQuota("bob"))).isEqualTo(quotaOf(-1, -1, -1));
        }

        @Test
        void aTenantAdminCannotEditTheProjectQuota() {
            ConsoleClient admin = tenantAdmin();
            assertThat(admin.htmx(ccs + "/project").status()).isEqualTo(403);
            assertThat(admin.post(ccs + "/project", Map.of("cpu", "50")).status()).isEqualTo(403);
            assertThat(projectQuota().path("cpu").asLong()).isEqualTo(10);
        }
    }

    @Nested
    class TheOperator {

        @Test
        void editsTheProjectQuotaWithTheSameRules() {
            assertThat(setMemberQuota("bob", "", Map.of("cpu", 8)).status()).isEqualTo(200);
            ConsoleClient operator = signedIn(OPERATOR);
            assertThat(operator.get(ccs).body()).contains("id=\"edit-project-quota\"").contains("id=\"edit-bob\"");
            ConsoleClient.Page dialog = operator.htmx(ccs + "/project");
            assertThat(dialog.body()).contains("Edit the CCS quota of project " + projectId)
                    .contains("Acceptable: 8 or more, or -1.").contains("-1 means unlimited.");
            String check = ccs + "/project/check?gpu=2&memory=64&cpu=";
            assertThat(operator.htmx(check + "6").body()).contains("Below the quota of a member.")
                    .contains("id=\"force\"");
            assertThat(operator.htmx(check + "3").body()).contains("Below the usage of 4.");

            ConsoleClient.Page refused = operator.post(ccs + "/project", Map.of("cpu", "6", "gpu", "2",
                    "memory", "64"));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.body()).contains("id=\"quota-cpu-warning\"").contains("id=\"force-error\"");
            assertThat(operator.post(ccs + "/project", Map.of("cpu", "-7")).body())
                    .contains("id=\"quota-cpu-error\"");
            assertThat(projectQuota().path("cpu").asLong()).isEqualTo(10);

            ConsoleClient.Page saved = operator.post(ccs + "/project", Map.of("cpu", "20", "gpu", "-1",
                    "memory", "64"));
            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.header("HX-Trigger")).isEqualTo("quotas-changed");
            assertThat(saved.body()).contains("The CCS quota of project " + projectId + " is saved.");
            assertThat(amounts(projectQuota())).isEqualTo(quotaOf(20, -1, 64));
            assertThat(operator.htmx(ccs, "quota-view").body()).contains("4 / 20 (20%)")
                    .contains("0 used, unlimited quota");

            // and members' quotas, as a tenant admin does
            assertThat(operator.post(ccs + "/members/bob", Map.of("cpu", "15")).status()).isEqualTo(200);
            assertThat(memberQuota("bob").path("cpu").asLong()).isEqualTo(15);
        }
    }

    @Nested
    class AsOf {

        @Test
        void showsTheQuotaAsItStoodThenReadOnly() {
            Instant between = clock.instant();
            // the store keeps event times to the millisecond: a change in the same one would count as before it
            clock.advance(Duration.ofSeconds(1));
            setProjectQuota(Map.of("cpu", 20));
            ConsoleClient admin = tenantAdmin();
            assertThat(admin.get(ccs).body()).contains("4 / 20 (20%)");
            // in Taipei (UTC+8)
            String local = between.atZone(ZoneId.of("Asia/Taipei")).toLocalDateTime().toString();
            ConsoleClient.Page then = admin.get(ccs + "?asOf=" + local + "&zone=Asia/Taipei");
            assertThat(then.status()).isEqualTo(200);
            assertThat(then.body()).contains("id=\"as-of-notice\"").contains("Showing the quotas as they stood at")
                    .contains("4 / 10 (40%)").doesNotContain("id=\"edit-bob\"").doesNotContain("quotas-changed")
                    .contains("id=\"show-now\"");

            String before = between.minusSeconds(3600).atZone(ZoneId.of("Asia/Taipei")).toLocalDateTime()
                    .withNano(0).toString();
            ConsoleClient.Page tooEarly = admin.get(ccs + "?asOf=" + before + "&zone=Asia/Taipei");
            assertThat(tooEarly.status()).isEqualTo(200);
            assertThat(tooEarly.body()).contains("id=\"asOf-error\"")
                    .contains("The project did not exist yet at that time.").contains("4 / 20 (20%)");
            assertThat(admin.get(ccs + "?asOf=yesterday").body()).contains("Enter a date and time.")
                    .contains("id=\"edit-bob\"");
        }
    }

    private Map<String, Object> form(String cpu, String gpu, String memory, boolean force) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("cpu", cpu);
        form.put("gpu", gpu);
        form.put("memory", memory);
        if (force) {
            form.put("force", "true");
        }
        return form;
    }

    private void setProjectQuota(Map<String, ?> quota) {
        Api.Response response = api.put("/api/v1" + ccs, OPERATOR, Api.json("quota", quota));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
    }

    private Api.Response setMemberQuota(String userId, String query, Map<String, ?> quota) {
        return setMemberQuota(userId, query, quota, OPERATOR);
    }

    private Api.Response setMemberQuota(String userId, String query, Map<String, ?> quota, String key) {
        return api.put("/api/v1" + ccs + "/members/" + userId + query, key, Api.json("quota", quota));
    }

    private void allocate(String userId, Map<String, ?> resources) {
        Api.Response response = api.post("/api/v1" + ccs + "/allocations", OPERATOR,
                Api.json("allocationId", UUID.randomUUID().toString(), "userId", userId, "resources", resources));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
    }

    private JsonNode view() {
        Api.Response response = api.get("/api/v1" + ccs, OPERATOR);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private JsonNode projectQuota() {
        return view().path("project").path("quota");
    }

    private JsonNode memberRow(String userId) {
        for (JsonNode row : view().path("members")) {
            if (row.path("userId").asString().equals(userId)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + userId);
    }

    private JsonNode memberQuota(String userId) {
        return memberRow(userId).path("quota");
    }

    private static Map<String, Long> quotaOf(long cpu, long gpu, long memory) {
        return Map.of("cpu", cpu, "gpu", gpu, "memory", memory);
    }

    private static Map<String, Long> amounts(JsonNode quota) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        quota.properties().forEach(entry -> amounts.put(entry.getKey(), entry.getValue().asLong()));
        return amounts;
    }
}
