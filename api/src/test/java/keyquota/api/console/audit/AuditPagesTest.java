package keyquota.api.console.audit;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log page over HTTP: each change in words, the filters, pages, and who sees what. */
class AuditPagesTest extends ApiTest {

    private String projectId;
    private String audit;
    private Api.Response bobKey;

    @BeforeEach
    void history() {
        projectId = createProject();
        audit = "/projects/" + projectId + "/audit";
        addMember(projectId, "alice", "TENANT_ADMIN");
        addMember(projectId, "bob", "TENANT_USER");
        bobKey = createKey(projectId, "bob");
        assertThat(api.post("/api/v1/projects/" + projectId + "/keys/" + bobKey.text("keyId") + "/extend", OPERATOR,
                Api.json("days", 5)).status()).isEqualTo(200);
        addMember(projectId, "bob", "TENANT_ADMIN");
    }

    @Test
    void aTenantAdminReadsTheProjectsChangesInWords() {
        ConsoleClient alice = signedIn(keyFor(projectId, "alice"));
        String page = alice.get(audit).body();
        Instant expires = Instant.parse(bobKey.text("expiresAt"));
        assertThat(page).contains("Project created").contains("Member added").contains("Role: tenant user")
                .contains("Key created").contains("Key " + bobKey.text("maskedKey") + " of bob")
                .contains("Expiry: " + utc(expires) + " → " + utc(expires.plus(5, ChronoUnit.DAYS)))
                .contains("Role: tenant user → tenant admin")
                .contains("The member&#39;s role changed").contains(">Operator<");
        assertThat(rows(page)).isEqualTo(8);
    }

    @Test
    void filtersByMemberKeyTypeAndTime() {
        ConsoleClient alice = signedIn(keyFor(projectId, "alice"));
        assertThat(alice.htmx(audit + "?type=KeyExtended", "audit-entries").body())
                .startsWith("<div id=\"audit-entries\"").contains("data-type=\"KeyExtended\"")
                .doesNotContain("data-type=\"KeyCreated\"");
        String bobs = alice.get(audit + "?keyId=" + bobKey.text("keyId")).body();
        assertThat(bobs).contains("data-type=\"KeyCreated\"").contains("data-type=\"KeyExtended\"")
                .contains("data-type=\"KeyDeleted\"").doesNotContain("data-type=\"ProjectCreated\"");
        assertThat(rows(alice.get(audit + "?userId=bob").body())).isEqualTo(5);
        // a time in Taipei after everything so far: nothing from; everything until
        String later = clock.instant().plusSeconds(120).atZone(ZoneId.of("Asia/Taipei")).toLocalDateTime()
                .truncatedTo(ChronoUnit.MINUTES).toString();
        assertThat(rows(alice.get(audit + "?from=" + later + "&zone=Asia/Taipei").body())).isZero();
        assertThat(rows(alice.get(audit + "?to=" + later + "&zone=Asia/Taipei").body())).isEqualTo(8);
    }

    @Test
    void badFiltersAreShownNextToTheirFields() {
        ConsoleClient alice = signedIn(keyFor(projectId, "alice"));
        ConsoleClient.Page bad = alice.get(audit + "?keyId=not-a-key&from=yesterday&type=Nonsense");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("id=\"keyId-error\"").contains("id=\"from-error\"")
                .contains("Enter a date and time.").contains("value=\"not-a-key\"");
        assertThat(alice.get(audit + "?cursor=bogus").status()).isEqualTo(400);
    }

    @Test
    void pagesThroughALongLog() {
        for (int i = 0; i < 50; i++) {
            addMember(projectId, "m" + i, "TENANT_USER");
        }
        ConsoleClient alice = signedIn(keyFor(projectId, "alice"));
        String first = alice.get(audit).body();
        assertThat(rows(first)).isEqualTo(AuditPageController.PAGE_SIZE);
        String next = first.replaceAll("(?s).*id=\"audit-next-page\"\\s+href=\"([^\"]+)\".*", "$1")
                .replace("&amp;", "&");
        String second = alice.get(next).body();
        assertThat(rows(second)).isEqualTo(7 + 50 + 1 - AuditPageController.PAGE_SIZE);
        assertThat(second).contains("id=\"audit-first-page\"").doesNotContain("id=\"audit-next-page\"");
    }

    @Test
    void aTenantUserSeesOnlyTheirOwnKeysAndActions() {
        addMember(projectId, "carol", "TENANT_USER");
        ConsoleClient carol = signedIn(keyFor(projectId, "carol"));
        String page = carol.get(audit).body();
        assertThat(page).contains("Key created").doesNotContain(bobKey.text("maskedKey"))
                .doesNotContain("id=\"filter-user\"");
    }

    @Test
    void anotherProjectIsNotFoundAndTheOperatorSeesAny() {
        String other = createProject();
        ConsoleClient eve = signedIn(memberKey(other, "eve", "TENANT_ADMIN"));
        assertThat(eve.get(audit).status()).isEqualTo(404);
        ConsoleClient operator = new ConsoleClient(port);
        operator.signIn(OPERATOR);
        assertThat(rows(operator.get(audit).body())).isEqualTo(7);
    }

    @Test
    void readsInTraditionalChinese() {
        ConsoleClient alice = new ConsoleClient(port).language("zh-TW");
        alice.signIn(keyFor(projectId, "alice"));
        assertThat(alice.get(audit).body()).contains("稽核紀錄").contains("展延金鑰").contains("角色：租戶使用者 → 租戶管理員");
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient client = new ConsoleClient(port);
        client.signIn(key);
        return client;
    }

    private static String utc(Instant time) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC)
                .format(time);
    }

    private static int rows(String html) {
        return html.split("<tr data-position=", -1).length - 1;
    }
}
