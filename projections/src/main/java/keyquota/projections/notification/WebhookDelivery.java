package keyquota.projections.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * One notification sent, or to be sent, to one webhook.
 *
 * @param lastStatusCode the answer's status of the last attempt, or null when there was none (or no answer)
 */
public record WebhookDelivery(UUID deliveryId, UUID notificationId, String status, int attempts,
                              Instant lastAttemptAt, Integer lastStatusCode) {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";
}
