package keyquota.projections.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery claimed for an attempt: what to send, where, and the secret to sign it with.
 *
 * @param attempts  this attempt included
 * @param createdAt when the delivery was made, the start of its time for retries
 */
public record DueDelivery(UUID deliveryId, UUID webhookId, String url, String secret, int attempts,
                          Instant createdAt, Notification notification) {

    /** Without the secret: a record's own toString would put it in any log line that shows a delivery. */
    @Override
    public String toString() {
        return "DueDelivery[deliveryId=" + deliveryId + ", webhookId=" + webhookId + ", attempts=" + attempts + "]";
    }
}
