package keyquota.api.notification;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import keyquota.application.auth.Principal;
import keyquota.application.notification.NotificationItem;
import keyquota.application.notification.Notifications;
import keyquota.projections.notification.NotificationStore;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** The in-app notifications, newest first. */
@RestController
class NotificationController {

    private final Notifications notifications;
    private final JsonMapper json;

    NotificationController(Notifications notifications, JsonMapper json) {
        this.notifications = notifications;
        this.json = json;
    }

    record NotificationList(List<NotificationItem> notifications, String nextCursor) {
    }

    @GetMapping("/api/v1/notifications")
    NotificationList list(@AuthenticationPrincipal Principal principal,
                          @RequestParam(required = false) @Size(max = 32) String type,
                          @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                          @RequestParam(required = false) @Size(max = 32) String cursor) {
        NotificationStore.Page page = notifications.list(principal, type, limit, cursor);
        return new NotificationList(page.notifications().stream().map(n -> NotificationItem.of(n, json)).toList(),
                page.nextCursor());
    }
}
