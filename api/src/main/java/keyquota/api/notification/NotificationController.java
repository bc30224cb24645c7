package keyquota.api.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import keyquota.application.auth.Principal;
import keyquota.application.notification.Notifications;
import keyquota.projections.notification.Notification;
import keyquota.projections.notification.NotificationStore;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The in-app notifications, newest first. */
@RestController
class NotificationController {

    private final Notifications notifications;
    private final JsonMapper json;

    NotificationController(Notifications notifications, JsonMapper json) {
        this.notifications = notifications;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NotificationResponse(UUID notificationId, String type, Instant createdAt, String projectId, String userId,
                                UUID keyId, JsonNode details) {
    }

    record NotificationList(List<NotificationResponse> notifications, String nextCursor) {
    }

    @GetMapping("/api/v1/notifications")
    NotificationList list(@AuthenticationPrincipal Principal principal,
                          @RequestParam(required = false) @Size(max = 32) String type,
                          @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                          @RequestParam(required = false) @Size(max = 32) String cursor) {
        NotificationStore.Page page = notifications.list(principal, type, limit, cursor);
        return new NotificationList(page.notifications().stream().map(this::response).toList(), page.nextCursor());
    }

    private NotificationResponse response(Notification notification) {
        return new NotificationResponse(notification.notificationId(), notification.type(),
                notification.createdAt(), notification.projectId(), notification.userId(), notification.keyId(),
                json.readTree(notification.detailsJson()));
    }
}
