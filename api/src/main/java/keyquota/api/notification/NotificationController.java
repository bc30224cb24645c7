package keyquota.api.notification;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.notification.NotificationItem;
import keyquota.application.notification.Notifications;
import keyquota.domain.ErrorCode;
import keyquota.projections.notification.NotificationStore;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** The in-app notifications, newest first. */
@Tag(name = "Notifications", description = "In-app notifications, newest first.")
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

    @Operation(summary = "List notifications", description = "Members: their own; tenant admins: also the project's; "
            + "the operator: all. `limit` is 1-200, default 50.")
    @Refusals(ErrorCode.FORBIDDEN)
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
