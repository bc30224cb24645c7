package keyquota.application.notification;

import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.notification.NotificationStore;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that turns events into notifications. It runs in a streaming processor with its own token, so
 * nothing is lost across restarts, and it is no read model: rebuilding the read models never runs it again. Each
 * notification's cause is its event, so an event handled twice (after a crash) still notifies once.
 */
@Component
@ProcessingGroup(NotificationPolicy.NAME)
public class NotificationPolicy {

    public static final String NAME = "notifications";

    private final NotificationStore notifications;
    private final KeyProjection keys;
    private final JsonMapper json = JsonMapper.builder().build();

    public NotificationPolicy(NotificationStore notifications, KeyProjection keys) {
        this.notifications = notifications;
        this.keys = keys;
    }

    /** The owner hears of a key deleted by someone else, or one that died with the membership or the role. */
    @EventHandler
    void on(KeyDeleted event, EventMessage<?> message) {
        if (event.reason() == KeyDeletionReason.BY_OWNER) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", event.reason().name());
        keys.find(event.keyId()).ifPresent(key -> {
            details.put("maskedKey", key.maskedKey());
            if (key.name() != null) {
                details.put("name", key.name());
            }
        });
        notifications.add("event:" + message.getIdentifier(), NotificationType.KEY_DELETED.name(),
                message.getTimestamp(), event.projectId(), event.userId(), event.keyId(),
                json.writeValueAsString(details));
    }
}
