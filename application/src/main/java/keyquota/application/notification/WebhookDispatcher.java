package keyquota.application.notification;

import keyquota.domain.InvalidValue;
import keyquota.domain.Time;
import keyquota.projections.notification.DueDelivery;
import keyquota.projections.notification.WebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends webhook deliveries: at least once, in order per webhook, from any number of nodes. Each tick claims the
 * due deliveries (see {@link WebhookStore#claim}), which leases them, and sends them side by side. A delivery
 * answered 2xx is DELIVERED and never sent again; any other outcome is tried again after a pause that starts at
 * a second and doubles, up to an hour, until 24 hours after the delivery was made, and then it has FAILED. A node
 * that dies mid-send leaves its lease to run out, and the delivery is sent again by whichever node claims it.
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    static final String DELIVERY_HEADER = "Keyquota-Delivery";
    static final String SIGNATURE_HEADER = "Keyquota-Signature";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than an attempt can take, so that no two attempts of a delivery overlap. */
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofHours(1);
    private static final Duration TRIED_FOR = Duration.ofHours(24);
    private static final int CLAIMED_AT_ONCE = 50;
    /** Rounds of one tick: a webhook's next delivery is due once the one before is delivered. */
    private static final int ROUNDS_PER_TICK = 10;

    private final WebhookStore store;
    private final WebhookTargets targets;
    private final JsonMapper json;
    private final Clock clock;
    // No redirects: a redirect could lead to an address the target check refuses.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    public WebhookDispatcher(WebhookStore store, WebhookTargets targets, JsonMapper json, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${keyquota.webhooks.dispatch-interval:PT1S}")
    public void dispatch() {
        try {
            for (int round = 0; round < ROUNDS_PER_TICK; round++) {
                Instant now = clock.instant();
                List<DueDelivery> due = store.claim(now, now.plus(LEASE), CLAIMED_AT_ONCE);
                if (due.isEmpty()) {
                    return;
                }
                CompletableFuture.allOf(due.stream().map(this::attempt).toArray(CompletableFuture[]::new)).join();
            }
        } catch (RuntimeException e) {
            log.warn("Webhook deliveries not dispatched, the next tick catches up: {}", e.toString());
        }
    }

    private CompletableFuture<Void> attempt(DueDelivery delivery) {
        URI target;
        try {
            target = targets.check(delivery.url());
        } catch (InvalidValue e) {
            log.warn("Webhook delivery {} to webhook {} not sent: its url {}", delivery.deliveryId(),
                    delivery.webhookId(), e.getMessage());
            notDelivered(delivery, null);
            return CompletableFuture.completedFuture(null);
        }
        String body = json.writeValueAsString(NotificationItem.of(delivery.notification(), json));
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .header(DELIVERY_HEADER, delivery.deliveryId().toString())
                .header(SIGNATURE_HEADER, "t=" + timestamp + ",v1=" + sign(delivery.secret(), timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure == null && response.statusCode() / 100 == 2) {
                        store.delivered(delivery.deliveryId(), response.statusCode());
                    } else {
                        Integer status = failure == null ? response.statusCode() : null;
                        log.info("Webhook delivery {} attempt {} not delivered: {}", delivery.deliveryId(),
                                delivery.attempts(), failure == null ? "status " + status : failure.toString());
                        notDelivered(delivery, status);
                    }
                    return null;
                });
    }

    /** Tried again after a pause doubling from a second up to an hour, for 24 hours; then FAILED. */
    private void notDelivered(DueDelivery delivery, Integer statusCode) {
        Instant now = clock.instant();
        Instant deadline = delivery.createdAt().plus(TRIED_FOR);
        Instant next = null;
        if (now.isBefore(deadline)) {
            Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(delivery.attempts() - 1, 12));
            next = Time.min(now.plus(pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause), deadline);
        }
        store.notDelivered(delivery.deliveryId(), statusCode, next);
    }

    /** Hex HMAC-SHA256 of the text, keyed with the secret's UTF-8 bytes. */
    static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
