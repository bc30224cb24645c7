package keyquota.application.notification;

import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.quota.Scope;
import keyquota.domain.quota.ThresholdCrossed;
import keyquota.domain.quota.UsageAllocated;
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

    /**
     * Each threshold an allocation reached is one notification, to the member whose allocation it was (for the
     * member's quota and the project's alike); the project's tenant admins see it among the project's.
     */
    @EventHandler
    void on(UsageAllocated event, EventMessage<?> message) {
        for (ThresholdCrossed crossed : event.thresholdsCrossed()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("scope", crossed.scope().name());
            if (crossed.scope() == Scope.MEMBER) {
                details.put("userId", event.userId());
            }
            details.put("service", event.service());
            details.put("resource", crossed.resource());
            details.put("threshold", crossed.threshold());
            details.put("usage", crossed.usage());
            details.put("quota", crossed.quota());
            notifications.add("event:" + message.getIdentifier() + ":" + crossed.scope() + ":" + crossed.resource()
                            + ":" + crossed.threshold(), NotificationType.USAGE_THRESHOLD.name(),
                    message.getTimestamp(), event.projectId(), event.userId(), null,
                    json.writeValueAsString(details));
        }
    }
}
