package keyquota.projections.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * Something a person should know about. {@code details} (JSON) never holds a secret.
 *
 * @param position its place in the order notifications were made, for paging newest first
 */
public record Notification(long position, UUID notificationId, String type, Instant createdAt, String projectId,
                           String userId, UUID keyId, String detailsJson) {
}
