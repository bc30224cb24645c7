package keyquota.application.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import keyquota.projections.notification.Notification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.UUID;

/** A notification as the API shows it, in the list and as the body of a webhook delivery alike. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationItem(UUID notificationId, String type, Instant createdAt, String projectId, String userId,
                               UUID keyId, JsonNode details) {

    public static NotificationItem of(Notification notification, JsonMapper json) {
        return new NotificationItem(notification.notificationId(), notification.type(), notification.createdAt(),
                notification.projectId(), notification.userId(), notification.keyId(),
                json.readTree(notification.detailsJson()));
    }
}
