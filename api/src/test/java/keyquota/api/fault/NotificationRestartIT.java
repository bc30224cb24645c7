package keyquota.api.fault;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import keyquota.api.support.Api;
import keyquota.api.support.node.NodeDatabase;
import keyquota.api.support.node.ServiceNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook and email deliveries across a restart of the only node in the middle of sending them, with a real
 * receiver and a real SMTP server (GreenMail): after a stop (SIGTERM) nothing is lost and nothing delivered is
 * sent again; after a crash (SIGKILL) nothing is lost, and only what was in flight at the crash may come twice
 * (at least once, as the contract says).
 */
class NotificationRestartIT extends FaultTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Notifications per round: keys made and then deleted by the operator, each a KEY_DELETED to its owner. */
    private static final int NOTIFICATIONS = 30;
    private static final Duration RECEIVER_PAUSE = Duration.ofMillis(100);
    private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(90);

    /** What the receiver was sent: one entry per request, answered 200 after a pause. */
    record Received(String deliveryId, String notificationId) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private GreenMail smtp;
    private ServiceNode node;
    private String project;
    private String webhookId;

    @BeforeAll
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                received.add(new Received(exchange.getRequestHeaders().getFirst("Keyquota-Delivery"),
                        body.path("notificationId").asString()));
                Thread.sleep(RECEIVER_PAUSE.toMillis());
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
        smtp = new GreenMail(new ServerSetup(NodeDatabase.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();

        startCluster(settings(), "node");
        node = nodes.get(0);
        project = "N" + Long.toString(System.currentTimeMillis(), 36);
        expect(node, "POST", "/api/v1/projects", OPERATOR, Api.json("projectId", project, "name", "Restart"), 201);
        expect(node, "PUT", "/api/v1/projects/" + project + "/members/alice", OPERATOR,
                Api.json("role", "TENANT_USER", "email", "alice@example.org"), 200);
        webhookId = expect(node, "POST", "/api/v1/webhooks", OPERATOR, Api.json("projectId", project,
                "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks", "types",
                List.of("KEY_DELETED")), 201).text("webhookId");
    }

    @AfterAll
    void stopReceivers() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aStopInTheMiddleLosesNoneAndSendsNoneTwice() throws Exception {
        int before = received.size();
        int mailsBefore = smtp.getReceivedMessages().length;
        int deliveredBefore = deliveredIds().size();
        notifyAlice();
        await().atMost(DELIVERED_WITHIN).until(() -> received.size() >= before + 3);

        node.stop();
        assertThat(received.size() - before).as("the stop came in the middle of the deliveries")
                .isLessThan(NOTIFICATIONS);
        node.start(database, OPERATOR, settings());
        node.awaitReady(NODE_START);

        awaitAllDelivered(deliveredBefore + NOTIFICATIONS);
        List<Received> round = received.subList(before, received.size());
        assertThat(round.stream().map(Received::deliveryId).distinct().count())
                .as("no delivery sent twice").isEqualTo(round.size()).isEqualTo(NOTIFICATIONS);
        await().atMost(DELIVERED_WITHIN).until(() -> smtp.getReceivedMessages().length >= mailsBefore + NOTIFICATIONS);
        Thread.sleep(1_000);
        assertThat(smtp.getReceivedMessages()).as("every mail once").hasSize(mailsBefore + NOTIFICATIONS);
    }

    @Test
    void aCrashInTheMiddleLosesNone() throws Exception {
        int before = received.size();
        int mailsBefore = smtp.getReceivedMessages().length;
        Set<String> deliveredBefore = Set.copyOf(deliveredIds());
        notifyAlice();
        await().atMost(DELIVERED_WITHIN).until(() -> received.size() >= before + 3);

        node.kill();
        node.start(database, OPERATOR, settings());
        node.awaitReady(NODE_START);

        List<String> delivered = awaitAllDelivered(deliveredBefore.size() + NOTIFICATIONS);
        Set<String> sent = received.subList(before, received.size()).stream().map(Received::deliveryId)
                .collect(Collectors.toSet());
        assertThat(sent).as("every delivery of the round reached the receiver")
                .containsAll(delivered.stream().filter(id -> !deliveredBefore.contains(id)).toList());
        await().atMost(DELIVERED_WITHIN).until(() -> smtp.getReceivedMessages().length >= mailsBefore + NOTIFICATIONS);
    }

    /** Alice's keys deleted by the operator: {@value #NOTIFICATIONS} KEY_DELETED notifications for her. */
    private void notifyAlice() throws IOException {
        for (int made = 0; made < NOTIFICATIONS; made += 5) {
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                keys.add(expect(node, "POST", "/api/v1/projects/" + project + "/keys", OPERATOR,
                        Api.json("userId", "alice", "name", "k" + (made + k)), 201).text("keyId"));
            }
            for (String keyId : keys) {
                expect(node, "DELETE", "/api/v1/projects/" + project + "/keys/" + keyId, OPERATOR, null, 204);
            }
        }
    }

    /** Waits until the webhook lists this many deliveries, all DELIVERED; their ids. */
    private List<String> awaitAllDelivered(int count) throws IOException {
        await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<JsonNode> deliveries = deliveries();
            assertThat(deliveries).hasSize(count);
            assertThat(deliveries).allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("DELIVERED"));
        });
        return deliveredIds();
    }

    private List<String> deliveredIds() throws IOException {
        return deliveries().stream().map(d -> d.path("deliveryId").asString()).toList();
    }

    private List<JsonNode> deliveries() throws IOException {
        return expect(node, "GET", "/api/v1/webhooks/" + webhookId + "/deliveries", OPERATOR, null, 200).body()
                .path("deliveries").valueStream().toList();
    }

    private Map<String, String> settings() {
        return Map.of(
                "KEYQUOTA_WEBHOOKS_ALLOW_HTTP", "true",
                "KEYQUOTA_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
                "KEYQUOTA_WEBHOOKS_DISPATCH_INTERVAL", "PT0.2S",
                "SPRING_MAIL_HOST", "127.0.0.1",
                "SPRING_MAIL_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "KEYQUOTA_MAIL_DISPATCH_INTERVAL", "PT0.2S");
    }
}
