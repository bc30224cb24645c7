package keyquota.projections.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where notifications are sent. Its secret is not here: it is read only to sign a delivery ({@link DueDelivery}).
 *
 * @param projectId the project whose notifications it gets, or null for every project's
 * @param types     the notification types it gets, or null for every type
 */
public record Webhook(UUID webhookId, String url, String projectId, List<String> types, Instant createdAt) {

    public Webhook {
        types = types == null ? null : List.copyOf(types);
    }
}
