package keyquota.api.console.notification;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console's notifications: the list in words, the unread count in the header, and who sees which. */
class NotificationPagesTest extends ApiTest {

    @Test
    void theOwnerSeesTheUnreadCountReadsTheListAndTheCountGoes() {
        String projectId = createProject();
        String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        addMember(projectId, "bob", "TENANT_USER");
        addMember(projectId, "carol", "TENANT_USER");
        Api.Response doomed = createKey(projectId, "bob");
        ConsoleClient bob = new ConsoleClient(port);
        bob.signIn(keyFor(projectId, "bob"));
        ConsoleClient carol = new ConsoleClient(port);
        carol.signIn(keyFor(projectId, "carol"));
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + doomed.text("keyId"), admin).status())
                .isEqualTo(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> bob.get("/projects/" + projectId + "/keys").body()
                .contains("Notifications (1 new)"));
        String list = bob.get("/notifications").body();
        assertThat(list).contains("class=\"unread\"").contains("Key key of bob was deleted: Deleted by a tenant admin.")
                .contains("New:");
        assertThat(bob.get("/projects/" + projectId + "/keys").body()).contains(">Notifications</a>")
                .doesNotContain("1 new");
        assertThat(bob.get("/notifications").body()).doesNotContain("class=\"unread\"");
        assertThat(carol.get("/notifications").body()).contains("Nothing to know about yet.");

        ConsoleClient zh = new ConsoleClient(port).language("zh-TW");
        zh.signIn(admin);
        assertThat(zh.get("/notifications").body()).contains("已被刪除").contains("由租戶管理員刪除");
    }
}
