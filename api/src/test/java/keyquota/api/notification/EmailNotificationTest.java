package keyquota.api.notification;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Notifications by email through a real SMTP server (GreenMail), to members with an address, once. */
class EmailNotificationTest extends ApiTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "localhost");
        registry.add("spring.mail.port", () -> ServerSetupTest.SMTP.getPort());
        registry.add("keyquota.mail.dispatch-interval", () -> "PT0.2S");
        registry.add("keyquota.mail.from", () -> "keyquota@nchc.test");
    }

    @Test
    void aMemberWithAnAddressIsToldByEmailOnceOneWithoutIsSkipped() throws Exception {
        String projectId = createProject();
        String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        assertThat(api.put("/api/v1/projects/" + projectId + "/members/bob", OPERATOR,
                Api.json("role", "TENANT_USER", "email", "bob@example.org")).status()).isEqualTo(200);
        addMember(projectId, "carol", "TENANT_USER");
        Api.Response bobs = createKey(projectId, "bob");
        Api.Response carols = createKey(projectId, "carol");
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + bobs.text("keyId"), admin).status())
                .isEqualTo(204);
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + carols.text("keyId"), admin).status())
                .isEqualTo(204);

        await().atMost(Duration.ofSeconds(15)).until(() -> SMTP.getReceivedMessages().length == 1);
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("bob@example.org");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("keyquota@nchc.test");
        assertThat(mail.getSubject()).isEqualTo("keyquota: an API key was deleted");
        String text = mail.getContent().toString();
        assertThat(text).contains(projectId).contains("BY_TENANT_ADMIN").contains(bobs.text("maskedKey"))
                .doesNotContain(bobs.text("key"));
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql("""
                        SELECT count(*) FROM email_delivery d JOIN notification n ON n.position = d.notification_position
                        WHERE n.project_id = ? AND d.status IN ('SENT', 'SKIPPED')""")
                .param(projectId).query(Long.class).single() == 2);
        Thread.sleep(1_000);
        assertThat(SMTP.getReceivedMessages()).as("sent once").hasSize(1);
    }
}
