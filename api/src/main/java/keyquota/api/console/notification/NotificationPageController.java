package keyquota.api.console.notification;

import keyquota.api.console.ConsoleTimes;
import keyquota.api.console.FormErrors.Message;
import keyquota.application.auth.Principal;
import keyquota.application.notification.Notifications;
import keyquota.projections.notification.Notification;
import keyquota.projections.notification.NotificationStore;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The notifications list, newest first, each said in the viewer's language. Opening its first page marks what it
 * shows as seen, which is what the unread count in the header counts from.
 */
@Controller
class NotificationPageController {

    static final int PAGE_SIZE = 30;

    private final Notifications notifications;
    private final ConsoleTimes times;
    private final JsonMapper json;

    NotificationPageController(Notifications notifications, ConsoleTimes times, JsonMapper json) {
        this.notifications = notifications;
        this.times = times;
        this.json = json;
    }

    /** @param what the notification said in words: a message key and its arguments */
    public record Shown(Notification notification, boolean unread, Message what) {
    }

    @GetMapping("/notifications")
    String page(@AuthenticationPrincipal Principal principal, @RequestParam(required = false) String cursor,
                Model model) {
        long unread = cursor == null ? notifications.unread(principal) : 0;
        NotificationStore.Page page = notifications.list(principal, null, PAGE_SIZE, cursor);
        List<Notification> shown = page.notifications();
        model.addAttribute("notifications", shown.stream()
                .map(notification -> new Shown(notification, shown.indexOf(notification) < unread, words(notification)))
                .toList());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("paged", cursor != null);
        if (!shown.isEmpty() && cursor == null) {
            notifications.seen(principal, shown.get(0).position());
            model.addAttribute("unreadNotifications", 0L);
        }
        return "console/notifications";
    }

    private Message words(Notification notification) {
        JsonNode details = json.readTree(notification.detailsJson());
        String key = details.path("name").isString() ? details.path("name").asString()
                : details.path("maskedKey").asString("");
        return switch (notification.type()) {
            case "KEY_EXPIRING" -> new Message("notifications.KEY_EXPIRING", new Object[]{key,
                    details.path("days").asInt(), utc(details.path("expiresAt"))});
            case "KEY_EXPIRED" -> new Message("notifications.KEY_EXPIRED", new Object[]{key,
                    utc(details.path("expiresAt"))});
            case "KEY_DELETED" -> new Message("notifications.KEY_DELETED", new Object[]{key,
                    new Message("audit.reason." + details.path("reason").asString(), new Object[0])});
            case "QUOTA_REQUEST" -> new Message("notifications.QUOTA_REQUEST." + details.path("event").asString(),
                    new Object[]{details.path("requestedBy").asString(""), details.path("service").asString(""),
                            amounts(details.path("resources")), details.path("userId").asString("")});
            default -> new Message("notifications.other", new Object[]{notification.type()});
        };
    }

    private static String amounts(JsonNode resources) {
        List<String> parts = new ArrayList<>();
        resources.properties().forEach(field -> parts.add(field.getKey() + " " + field.getValue().asLong()));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private String utc(JsonNode time) {
        return time.isString() ? times.utc(Instant.parse(time.asString())) : "-";
    }
}
