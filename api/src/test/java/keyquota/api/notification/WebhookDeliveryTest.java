package keyquota.api.notification;

import com.sun.net.httpserver.HttpServer;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.SecretLeaks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deliveries to a real receiver on this machine (so plain HTTP and loopback targets are allowed here): signed
 * with the webhook's secret, tried again until answered 2xx, in order per webhook, and never logged with their
 * secret or signature. The only ApiTest with settings of its own, so it runs in a Spring context of its own.
 */
@TestPropertySource(properties = {
        "keyquota.webhooks.allow-http=true",
        "keyquota.webhooks.allow-private-targets=true",
        "keyquota.webhooks.dispatch-interval=PT0.2S"})
class WebhookDeliveryTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the receiver was sent, by path. */
    record Received(String deliveryId, String signature, String body) {
    }

    private static HttpServer receiver;
    private static final Map<String, List<Received>> RECEIVED = new ConcurrentHashMap<>();
    /** The statuses the receiver answers a path with, one per request, then 200. */
    private static final Map<String, Deque<Integer>> ANSWERS = new ConcurrentHashMap<>();

    @Autowired
    JdbcClient jdbc;

    private String projectId;
    private String admin;
    private String path;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            String at = exchange.getRequestURI().getPath();
            try (InputStream in = exchange.getRequestBody()) {
                RECEIVED.computeIfAbsent(at, p -> new CopyOnWriteArrayList<>()).add(new Received(
                        exchange.getRequestHeaders().getFirst("Keyquota-Delivery"),
                        exchange.getRequestHeaders().getFirst("Keyquota-Signature"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            Deque<Integer> answers = ANSWERS.get(at);
            Integer status = answers == null ? null : answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @BeforeEach
    void project() {
        projectId = createProject();
        admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        addMember(projectId, "bob", "TENANT_USER");
        path = "/hook/" + projectId;
    }

    private Api.Response webhook(Object... fields) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        Object[] all = new Object[fields.length + 2];
        all[0] = "url";
        all[1] = url;
        System.arraycopy(fields, 0, all, 2, fields.length);
        Api.Response created = api.post("/api/v1/webhooks", admin, Api.json(all));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created;
    }

    /** A key of bob's deleted by the tenant admin: a KEY_DELETED notification to bob. */
    private String deleteAKeyOfBob() {
        String keyId = createKey(projectId, "bob").text("keyId");
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + keyId, admin).status()).isEqualTo(204);
        return keyId;
    }

    private List<Received> received() {
        return RECEIVED.getOrDefault(path, List.of());
    }

    private List<JsonNode> deliveries(String webhookId) {
        Api.Response list = api.get("/api/v1/webhooks/" + webhookId + "/deliveries", admin);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("deliveries").valueStream().toList();
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDeliveryIsTheNotificationSignedWithTheSecret() throws Exception {
        Api.Response webhook = webhook();
        String secret = webhook.text("secret");
        String keyId = deleteAKeyOfBob();

        await().atMost(Duration.ofSeconds(15)).until(() -> !received().isEmpty());
        Received delivery = received().get(0);

        String[] parts = delivery.signature().split(",");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).startsWith("t=");
        assertThat(parts[1]).startsWith("v1=");
        long t = Long.parseLong(parts[0].substring(2));
        assertThat(Math.abs(clock.instant().getEpochSecond() - t)).isLessThan(300);
        assertThat(parts[1].substring(3)).isEqualTo(hmac(secret, t + "." + delivery.body()));
        assertThat(parts[1].substring(3)).isNotEqualTo(hmac(secret + "x", t + "." + delivery.body()));

        JsonNode listed = api.get("/api/v1/notifications?type=KEY_DELETED", admin).body().path("notifications")
                .valueStream().filter(n -> keyId.equals(n.path("keyId").asString(null))).findFirst().orElseThrow();
        assertThat(JSON.readTree(delivery.body())).isEqualTo(listed);

        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(
                deliveries(webhook.text("webhookId")).get(0).path("status").asString()));
        JsonNode row = deliveries(webhook.text("webhookId")).get(0);
        assertThat(row.path("deliveryId").asString()).isEqualTo(delivery.deliveryId());
        assertThat(row.path("notificationId").asString()).isEqualTo(listed.path("notificationId").asString());
        assertThat(row.path("attempts").asInt()).isEqualTo(1);
        assertThat(row.path("lastStatusCode").asInt()).isEqualTo(200);
        assertThat(row.path("lastAttemptAt").asString()).isNotBlank();

        String signature = parts[1].substring(3);
        assertThat(SecretLeaks.runLog()).noneMatch(line -> line.contains(secret) || line.contains(signature));
        SecretLeaks.everyValueOfEveryTable(jdbc).forEach((column, values) -> {
            if (!column.equals("webhook.secret")) {
                assertThat(values).as(column).noneMatch(value -> value.contains(secret.substring(6)));
            }
        });
    }

    @Test
    void aFailedAttemptIsTriedAgainAndLaterNotificationsWaitForIt() {
        ANSWERS.put(path, new ArrayDeque<>(List.of(500)));
        Api.Response webhook = webhook("types", List.of("KEY_DELETED"));
        deleteAKeyOfBob();
        deleteAKeyOfBob();

        await().atMost(Duration.ofSeconds(20)).until(() -> received().size() >= 3);
        List<Received> sent = received();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1).deliveryId()).isEqualTo(sent.get(0).deliveryId());
        assertThat(sent.get(2).deliveryId()).isNotEqualTo(sent.get(0).deliveryId());
        assertThat(sent.get(1).body()).isEqualTo(sent.get(0).body());

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(webhook.text("webhookId")).stream()
                .allMatch(d -> "DELIVERED".equals(d.path("status").asString())));
        List<JsonNode> rows = deliveries(webhook.text("webhookId"));
        assertThat(rows).extracting(d -> d.path("deliveryId").asString())
                .containsExactly(sent.get(2).deliveryId(), sent.get(0).deliveryId());
        assertThat(rows).extracting(d -> d.path("attempts").asInt()).containsExactly(1, 2);
        assertThat(rows).extracting(d -> d.path("lastStatusCode").asInt()).containsExactly(200, 200);
    }

    @Test
    void aDeliveryNeverAnswered2xxFailsAfter24HoursAndTheNextOneGoes() {
        ANSWERS.put(path, new ArrayDeque<>(Collections.nCopies(1000, 503)));
        Api.Response webhook = webhook();
        deleteAKeyOfBob();
        await().atMost(Duration.ofSeconds(10)).until(() -> !received().isEmpty());

        clock.advance(Duration.ofHours(25));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(
                    deliveries(webhook.text("webhookId")).get(0).path("status").asString()));
        } finally {
            clock.advance(Duration.ofHours(-25));
        }
        JsonNode failed = deliveries(webhook.text("webhookId")).get(0);
        assertThat(failed.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(failed.path("lastStatusCode").asInt()).isEqualTo(503);

        ANSWERS.get(path).clear();
        deleteAKeyOfBob();
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(
                deliveries(webhook.text("webhookId")).get(0).path("status").asString()));
        assertThat(deliveries(webhook.text("webhookId"))).extracting(d -> d.path("status").asString())
                .containsExactly("DELIVERED", "FAILED");
    }

    @Test
    void aWebhookGetsOnlyTheTypesItAskedForAndNothingOnceDeleted() throws InterruptedException {
        Api.Response expiring = webhook("types", List.of("KEY_EXPIRING"));
        deleteAKeyOfBob();
        Api.Response deleted = webhook("types", List.of("KEY_DELETED"));
        assertThat(api.delete("/api/v1/webhooks/" + deleted.text("webhookId"), admin).status()).isEqualTo(204);
        deleteAKeyOfBob();

        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/notifications?type=KEY_DELETED",
                admin).body().path("notifications").size() == 2);
        Thread.sleep(1000);
        assertThat(received()).isEmpty();
        assertThat(deliveries(expiring.text("webhookId"))).isEmpty();
    }
}
