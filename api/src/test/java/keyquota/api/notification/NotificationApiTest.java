package keyquota.api.notification;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.notification.ExpiryWarnings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /api/v1/notifications: keys deleted by others, expiry warnings, and who sees which. */
class NotificationApiTest extends ApiTest {

    private static final String NOTIFICATIONS = "/api/v1/notifications";

    @Autowired
    ExpiryWarnings expiryWarnings;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private String projectId;
    private String admin;

    @BeforeEach
    void project() {
        projectId = createProject();
        admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        addMember(projectId, "bob", "TENANT_USER");
        addMember(projectId, "carol", "TENANT_USER");
    }

    private List<JsonNode> notificationsOf(String key, String query) {
        Api.Response list = api.get(NOTIFICATIONS + query, key);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("notifications").valueStream().filter(n -> projectId.equals(n.path("projectId")
                .asString(null))).toList();
    }

    @Nested
    class KeysDeleted {

        @Test
        void theOwnerHearsOfAKeyDeletedBySomeoneElseNotOfTheirOwnDeletion() {
            String bob = keyFor(projectId, "bob");
            Api.Response deletedByAdmin = createKey(projectId, "bob");
            Api.Response deletedByBob = createKey(projectId, "bob");
            assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + deletedByAdmin.text("keyId"), admin)
                    .status()).isEqualTo(204);
            assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + deletedByBob.text("keyId"), bob)
                    .status()).isEqualTo(204);

            await().atMost(Duration.ofSeconds(10)).until(() -> !notificationsOf(bob, "").isEmpty());
            // no SMTP server here, so no emails (unless a context with one shares this database)
            if (jdbc.sql("SELECT count(*) FROM notification_channel WHERE enabled").query(Long.class).single() == 0) {
                assertThat(jdbc.sql("""
                                SELECT count(*) FROM email_delivery d
                                JOIN notification n ON n.position = d.notification_position WHERE n.project_id = ?""")
                        .param(projectId).query(Long.class).single()).isZero();
            }
            List<JsonNode> bobs = notificationsOf(bob, "");
            assertThat(bobs).singleElement().satisfies(n -> {
                assertThat(n.path("type").asString()).isEqualTo("KEY_DELETED");
                assertThat(n.path("userId").asString()).isEqualTo("bob");
                assertThat(n.path("keyId").asString()).isEqualTo(deletedByAdmin.text("keyId"));
                assertThat(n.path("details").path("reason").asString()).isEqualTo("BY_TENANT_ADMIN");
                assertThat(n.path("details").path("maskedKey").asString()).isEqualTo(deletedByAdmin.text("maskedKey"));
                assertThat(n.path("notificationId").asString()).isNotBlank();
                assertThat(n.path("createdAt").asString()).isNotBlank();
                assertThat(n.toString()).doesNotContain(deletedByAdmin.text("key"));
            });
        }

        @Test
        void keysThatDieWithTheRoleAreNotifiedAndOnlyTheRightPeopleSeeThem() {
            String carol = keyFor(projectId, "carol");
            Api.Response bobs = createKey(projectId, "bob");
            addMember(projectId, "bob", "TENANT_ADMIN");

            await().atMost(Duration.ofSeconds(10)).until(() -> notificationsOf(admin, "").size() == 1);
            assertThat(notificationsOf(admin, "").get(0).path("details").path("reason").asString())
                    .isEqualTo("ROLE_CHANGED");
            assertThat(notificationsOf(carol, "")).isEmpty();
            assertThat(notificationsOf(OPERATOR, "?type=KEY_DELETED")).hasSize(1);
            String other = createProject();
            String eve = memberKey(other, "eve", "TENANT_ADMIN");
            assertThat(notificationsOf(eve, "")).isEmpty();
            assertThat(bobs.text("keyId")).isNotBlank();
        }
    }

    @Nested
    class ExpiryWarningsOncePerKeyAndMark {

        @Test
        void eachMarkFiresOnceThenTheExpiry() {
            Api.Response thirtyDays = createKey(projectId, "bob");
            Api.Response fiveDays = api.post("/api/v1/projects/" + projectId + "/keys", OPERATOR,
                    Api.json("userId", "carol", "validDays", 5));
            Duration moved = Duration.ZERO;
            try {
                for (Duration to : List.of(Duration.ofHours(4 * 24 + 12), Duration.ofHours(5 * 24 + 12),
                        Duration.ofHours(16 * 24 + 12), Duration.ofHours(23 * 24 + 12),
                        Duration.ofHours(29 * 24 + 12), Duration.ofHours(30 * 24 + 12))) {
                    clock.advance(to.minus(moved));
                    moved = to;
                    expiryWarnings.scan();
                    expiryWarnings.scan();
                }
            } finally {
                clock.advance(moved.negated());
            }
            // the project's tenant admin sees its notifications (the operator's newest page holds every project's)
            List<JsonNode> bobs = notificationsOf(admin, "?limit=200").stream()
                    .filter(n -> thirtyDays.text("keyId").equals(n.path("keyId").asString(null))).toList();
            assertThat(bobs).extracting(n -> n.path("type").asString() + " " + n.path("details").path("days").asInt())
                    .containsExactly("KEY_EXPIRED 0", "KEY_EXPIRING 1", "KEY_EXPIRING 7", "KEY_EXPIRING 14");
            List<JsonNode> carols = notificationsOf(admin, "?limit=200").stream()
                    .filter(n -> fiveDays.text("keyId").equals(n.path("keyId").asString(null))).toList();
            assertThat(carols).extracting(n -> n.path("type").asString() + " " + n.path("details").path("days").asInt())
                    .containsExactly("KEY_EXPIRED 0", "KEY_EXPIRING 1");
        }

        @Test
        void twoNodesScanningAtOnceWarnOnce() {
            Api.Response key = createKey(projectId, "bob");
            clock.advance(Duration.ofDays(17));
            try {
                CompletableFuture<?>[] scans = new CompletableFuture<?>[8];
                for (int i = 0; i < scans.length; i++) {
                    scans[i] = CompletableFuture.runAsync(expiryWarnings::scan);
                }
                CompletableFuture.allOf(scans).join();
            } finally {
                clock.advance(Duration.ofDays(-17));
            }
            assertThat(notificationsOf(admin, "?type=KEY_EXPIRING&limit=200").stream()
                    .filter(n -> key.text("keyId").equals(n.path("keyId").asString(null)))).hasSize(1);
        }
    }

    @Test
    void pagesNewestFirstAndRefusesWhatItDoesNotKnow() {
        for (int i = 0; i < 3; i++) {
            Api.Response key = createKey(projectId, "bob");
            api.delete("/api/v1/projects/" + projectId + "/keys/" + key.text("keyId"), admin);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> notificationsOf(admin, "").size() == 3);
        Api.Response first = api.get(NOTIFICATIONS + "?limit=2", admin);
        assertThat(first.body().path("notifications")).hasSize(2);
        String cursor = first.text("nextCursor");
        Api.Response second = api.get(NOTIFICATIONS + "?limit=2&cursor=" + cursor, admin);
        assertThat(second.body().path("notifications")).hasSize(1);
        assertThat(second.body().path("nextCursor").isNull()).isTrue();
        assertProblem(api.get(NOTIFICATIONS + "?type=NOPE", admin), 400, "VALIDATION_FAILED");
        assertProblem(api.get(NOTIFICATIONS + "?cursor=abc", admin), 400, "VALIDATION_FAILED");
        assertProblem(api.get(NOTIFICATIONS + "?limit=201", admin), 400, "VALIDATION_FAILED");
        Api.Response service = api.post("/api/v1/service-keys", OPERATOR,
                Api.json("name", "svc-" + UUID.randomUUID(), "service", "CCS"));
        assertProblem(api.get(NOTIFICATIONS, service.text("key")), 403, "FORBIDDEN");
    }
}
