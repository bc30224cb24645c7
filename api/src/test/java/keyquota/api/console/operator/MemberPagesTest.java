package keyquota.api.console.operator;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project's members page over HTTP. As in the API, the operator and the project's tenant admins manage members; a
 * tenant user is refused and another project does not exist. Role changes and removals delete the member's keys.
 */
class MemberPagesTest extends ApiTest {

    private String projectId;
    private String members;

    @BeforeEach
    void project() {
        projectId = createProject();
        members = "/projects/" + projectId + "/members";
        addMember(projectId, "bob", "TENANT_USER");
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        return browser;
    }

    private String roleOf(String userId) {
        for (JsonNode member : api.get("/api/v1/projects/" + projectId + "/members", OPERATOR).body()
                .path("members").values()) {
            if (member.path("userId").asString().equals(userId)) {
                return member.path("role").asString();
            }
        }
        return null;
    }

    @Test
    void theOperatorSeesTheMembersAndAddsOne() {
        ConsoleClient operator = signedIn(OPERATOR);
        String page = operator.get(members).body();
        assertThat(page).contains("data-user-id=\"bob\"").contains("tenant user")
                .contains("href=\"/projects/" + projectId + "/keys\"");
        assertThat(operator.htmx(members, "members-table").body()).startsWith("<div id=\"members-table\"");
        assertThat(operator.htmx(members + "/new").body()).contains("id=\"add-member-dialog\"")
                .contains("<option value=\"TENANT_ADMIN\">tenant admin</option>")
                .contains("<option value=\"TENANT_USER\" selected=\"selected\">tenant user</option>");
        ConsoleClient.Page added = operator.post(members, Map.of("userId", "carol@twcc", "role", "TENANT_ADMIN"));
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.header("HX-Trigger")).isEqualTo("members-changed");
        assertThat(added.body()).contains("hx-swap-oob").contains("carol@twcc added as tenant admin.");
        assertThat(roleOf("carol@twcc")).isEqualTo("TENANT_ADMIN");
    }

    @Test
    void badValuesAreShownNextToTheirFieldsAndChangeNothing() {
        ConsoleClient operator = signedIn(OPERATOR);
        ConsoleClient.Page blank = operator.post(members, Map.of("userId", "", "role", "TENANT_USER"));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.body()).contains("id=\"userId-error\"").contains("Required.")
                .contains("aria-describedby=\"userId-error userId-hint\"");
        assertThat(operator.post(members, Map.of("userId", "no spaces", "role", "TENANT_USER")).body())
                .contains("Use 1 to 64 letters").contains("value=\"no spaces\"");
        ConsoleClient.Page already = operator.post(members, Map.of("userId", "bob", "role", "TENANT_ADMIN"));
        assertThat(already.status()).isEqualTo(422);
        assertThat(already.body()).contains("Already a member of this project.");
        ConsoleClient.Page role = operator.post(members, Map.of("userId", "dave", "role", "BOSS"));
        assertThat(role.status()).isEqualTo(422);
        assertThat(role.body()).contains("id=\"role-error\"").contains("Choose a role.");
        assertThat(roleOf("bob")).isEqualTo("TENANT_USER");
        assertThat(roleOf("dave")).isNull();
        assertThat(roleOf("no spaces")).isNull();
    }

    @Test
    void changingTheRoleWarnsThenDeletesTheMembersKeys() {
        String bobKey = keyFor(projectId, "bob");
        ConsoleClient operator = signedIn(OPERATOR);
        String dialog = operator.htmx(members + "/bob/role").body();
        assertThat(dialog).contains("id=\"role-dialog\"").contains("Current role: tenant user.")
                .contains("deletes every key bob holds in this project");
        assertThat(operator.post(members + "/bob/role", Map.of("role", "nope")).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/me", bobKey).status()).isEqualTo(200);
        ConsoleClient.Page changed = operator.post(members + "/bob/role", Map.of("role", "TENANT_ADMIN"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).contains("bob is now tenant admin");
        assertThat(changed.header("HX-Trigger")).isEqualTo("members-changed");
        assertThat(roleOf("bob")).isEqualTo("TENANT_ADMIN");
        assertThat(api.get("/api/v1/me", bobKey).status()).isEqualTo(401);
        assertThat(operator.post(members + "/bob/role", Map.of("role", "TENANT_ADMIN")).body())
                .contains("bob stays tenant admin; nothing changed.");
    }

    @Test
    void removingConfirmsThenEndsTheMembershipAndItsKeys() {
        String bobKey = keyFor(projectId, "bob");
        ConsoleClient operator = signedIn(OPERATOR);
        String dialog = operator.htmx(members + "/bob/remove").body();
        assertThat(dialog).contains("id=\"remove-dialog\"").contains("Remove bob from " + projectId + "?")
                .contains("programs using them are refused at once");
        ConsoleClient.Page removed = operator.post(members + "/bob/remove", Map.of());
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body()).contains("bob removed");
        assertThat(roleOf("bob")).isNull();
        assertThat(api.get("/api/v1/me", bobKey).status()).isEqualTo(401);
        assertThat(operator.htmx(members, "members-table").body()).doesNotContain("data-user-id=\"bob\"");

        ConsoleClient.Page gone = operator.post(members + "/bob/remove", Map.of());
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).contains("Not a member of this project.");
        assertThat(operator.htmx(members + "/nobody/role").status()).isEqualTo(404);
        assertThat(operator.get("/projects/NO-SUCH/members").status()).isEqualTo(404);
    }

    @Test
    void aTenantAdminManagesTheMembersOfTheirOwnProject() {
        ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        String page = admin.get(members).body();
        assertThat(page).contains("data-user-id=\"bob\"").contains("href=\"" + members + "\"")
                .doesNotContain("href=\"/projects\"");
        assertThat(admin.post(members, Map.of("userId", "erin", "role", "TENANT_USER")).status()).isEqualTo(200);
        assertThat(roleOf("erin")).isEqualTo("TENANT_USER");
        assertThat(admin.htmx(members + "/alice/remove").body()).contains("This is you");
        assertThat(admin.post(members + "/erin/role", Map.of("role", "TENANT_ADMIN")).status()).isEqualTo(200);
        assertThat(admin.post(members + "/erin/remove", Map.of()).status()).isEqualTo(200);
        assertThat(roleOf("erin")).isNull();
    }

    @Test
    void aTenantUserIsRefusedAndAnotherProjectDoesNotExist() {
        ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
        ConsoleClient.Page page = bob.get(members);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("You may not do this.");
        assertThat(bob.get("/projects/" + projectId + "/keys").body()).doesNotContain("href=\"" + members + "\"");
        assertThat(bob.htmx(members + "/new").status()).isEqualTo(403);
        assertThat(bob.post(members, Map.of("userId", "mallory", "role", "TENANT_ADMIN")).status()).isEqualTo(403);
        assertThat(bob.post(members + "/bob/role", Map.of("role", "TENANT_ADMIN")).status()).isEqualTo(403);
        assertThat(roleOf("mallory")).isNull();
        assertThat(roleOf("bob")).isEqualTo("TENANT_USER");

        String other = createProject();
        ConsoleClient eve = signedIn(memberKey(other, "eve", "TENANT_ADMIN"));
        ConsoleClient.Page elsewhere = eve.get(members);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("No such project.");
        assertThat(eve.post(members + "/bob/remove", Map.of()).status()).isEqualTo(404);
        assertThat(roleOf("bob")).isEqualTo("TENANT_USER");
    }
}
