package keyquota.api.console.quota;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage history chart of the quota page over HTTP, for each role: the project's last 30 days per resource as
 * inline SVG with a title, and the same figures as a table; a tenant user also sees their own.
 */
class UsageHistoryPagesTest extends ApiTest {

    private static final Pattern TABLE_ROW = Pattern.compile(
            "<tr>\\s*<th scope=\"row\">([0-9-]+)</th>\\s*<td>(\\d+)</td>\\s*<td>(\\d+)</td>\\s*<td>([^<]+)</td>");

    private String projectId;
    private String ccs;
    private String serviceKey;
    private Duration moved = Duration.ZERO;

    /** bob holds 3 GPUs from two days ago (UTC), with a member quota of 5 GPUs; the project's quota is 8. */
    @BeforeEach
    void project() {
        projectId = createProject();
        ccs = "/projects/" + projectId + "/quotas/CCS";
        addMember(projectId, "bob", "TENANT_USER");
        addMember(projectId, "carol", "TENANT_USER");
        serviceKey = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "ccs", "service", "CCS"))
                .text("key");
        ok(api.put("/api/v1/projects/" + projectId + "/quotas/CCS", OPERATOR,
                Api.json("quota", Map.of("cpu", 10, "gpu", 8, "memory", 64))));
        ok(api.put("/api/v1/projects/" + projectId + "/quotas/CCS/members/bob", OPERATOR,
                Api.json("quota", Map.of("gpu", 5))));
        assertThat(api.post("/api/v1/projects/" + projectId + "/quotas/CCS/allocations", serviceKey,
                Api.json("allocationId", "g1", "userId", "bob", "resources", Map.of("gpu", 3))).status())
                .isEqualTo(201);
        // two days later, so that the chart has days before and after the allocation
        moved = Duration.ofDays(2);
        clock.advance(moved);
    }

    @AfterEach
    void restoreClock() {
        clock.advance(moved.negated());
    }

    private static void ok(Api.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        return browser;
    }

    /** The figures of one chart's table, by date: usage, peak, quota. */
    private static Map<String, String[]> figures(String page, String tableId) {
        int start = page.indexOf("id=\"" + tableId + "\"");
        assertThat(start).as("table %s", tableId).isPositive();
        String table = page.substring(start, page.indexOf("</table>", start));
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher row = TABLE_ROW.matcher(table);
        while (row.find()) {
            rows.put(row.group(1), new String[]{row.group(2), row.group(3), row.group(4)});
        }
        return rows;
    }

    @Test
    void theOperatorAndATenantAdminSeeTheProjectsLastThirtyDays() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate allocated = today.minusDays(2);
        String tenantAdmin = memberKey(projectId, "alice", "TENANT_ADMIN");
        for (String key : new String[]{OPERATOR, tenantAdmin}) {
            String page = signedIn(key).get(ccs).body();
            assertThat(page).contains("<h2 id=\"history-title\">Usage history, last 30 days</h2>")
                    .contains("<h3>Project " + projectId + "</h3>")
                    .contains("id=\"history-project-gpu-chart\" aria-label=\"Project " + projectId
                            + ", GPU (count): usage per day over the last 30 days, highest 3\"")
                    .contains("class=\"chart-usage\" d=\"M0.0 ").contains("class=\"chart-quota\"")
                    .doesNotContain("history-own-");
            Map<String, String[]> gpu = figures(page, "history-project-gpu-table");
            assertThat(gpu).hasSize(30);
            assertThat(gpu.keySet()).first().isEqualTo(today.minusDays(29).toString());
            assertThat(gpu.keySet()).last().isEqualTo(today.toString());
            assertThat(gpu.get(allocated.minusDays(1).toString())).as("before the project had a quota")
                    .containsExactly("0", "0", "0");
            assertThat(gpu.get(allocated.toString())).containsExactly("3", "3", "8");
            assertThat(gpu.get(today.toString())).containsExactly("3", "3", "8");
            assertThat(figures(page, "history-project-cpu-table").get(today.toString()))
                    .containsExactly("0", "0", "10");
        }
    }

    @Test
    void aTenantUserSeesTheProjectsAndTheirOwnInTheirLanguage() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String bobsPage = signedIn(keyFor(projectId, "bob")).get(ccs).body();
        assertThat(bobsPage).contains("<h3>Your usage (bob)</h3>").contains("data-user-id=\"bob\"");
        assertThat(figures(bobsPage, "history-own-gpu-table").get(today.toString())).containsExactly("3", "3", "5");
        assertThat(figures(bobsPage, "history-own-cpu-table").get(today.toString()))
                .containsExactly("0", "0", "unlimited");
        assertThat(figures(bobsPage, "history-project-gpu-table").get(today.toString()))
                .containsExactly("3", "3", "8");

        ConsoleClient carol = signedIn(keyFor(projectId, "carol")).language("zh-TW");
        String carolsPage = carol.get(ccs).body();
        assertThat(carolsPage).contains("使用量歷史（最近 30 天）").contains("<h3>計畫 " + projectId + "</h3>")
                .contains("<h3>我的使用量（成員 carol）</h3>").doesNotContain("（成員 bob）")
                .contains("<th scope=\"col\">配額</th>");
        assertThat(figures(carolsPage, "history-own-gpu-table").get(today.toString()))
                .containsExactly("0", "0", "無上限");
    }

    @Test
    void anotherProjectsAdminSeesNoHistory() {
        String other = createProject();
        ConsoleClient eve = signedIn(memberKey(other, "eve", "TENANT_ADMIN"));
        ConsoleClient.Page page = eve.get(ccs);
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).doesNotContain("usage-history");
    }

    @Test
    void theViewThatReloadsItselfAndThePastCarryNoHistory() {
        ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        assertThat(admin.htmx(ccs, "quota-view").body()).doesNotContain("usage-history");
        Instant yesterday = clock.instant().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        String past = admin.get(ccs + "?asOf=" + yesterday.toString().substring(0, 16) + "&zone=UTC").body();
        assertThat(past).contains("id=\"as-of-notice\"").doesNotContain("usage-history");
    }
}
