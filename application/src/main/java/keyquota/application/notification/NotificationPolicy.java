package keyquota.application.notification;

import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.quota.Scope;
import keyquota.domain.quota.ThresholdCrossed;
import keyquota.domain.quota.UsageAllocated;
import keyquota.domain.quotarequest.QuotaRequestApproved;
import keyquota.domain.quotarequest.QuotaRequestCancelled;
import keyquota.domain.quotarequest.QuotaRequestForwarded;
import keyquota.domain.quotarequest.QuotaRequestRejected;
import keyquota.domain.quotarequest.QuotaRequested;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.notification.NotificationStore;
import keyquota.projections.quotarequest.QuotaRequestProjection;
import keyquota.projections.quotarequest.QuotaRequestView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

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
    private final QuotaRequestProjection quotaRequests;
    private final JsonMapper json = JsonMapper.builder().build();

    public NotificationPolicy(NotificationStore notifications, KeyProjection keys,
                              QuotaRequestProjection quotaRequests) {
        this.notifications = notifications;
        this.keys = keys;
        this.quotaRequests = quotaRequests;
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

    @EventHandler
    void on(QuotaRequested event, EventMessage<?> message) {
        quotaRequest(message, event.requestId(), event.projectId(), event.service(), event.userId(),
                event.requestedBy(), event.resources(), event.reason());
    }

    @EventHandler
    void on(QuotaRequestForwarded event, EventMessage<?> message) {
        quotaRequest(message, event.requestId(), event.projectId(), event.service(), event.userId(), null, null,
                event.reason());
    }

    @EventHandler
    void on(QuotaRequestApproved event, EventMessage<?> message) {
        quotaRequest(message, event.requestId(), event.projectId(), event.service(), event.userId(), null,
                event.resources(), null);
    }

    @EventHandler
    void on(QuotaRequestRejected event, EventMessage<?> message) {
        quotaRequest(message, event.requestId(), event.projectId(), event.service(), event.userId(), null, null,
                event.reason());
    }

    @EventHandler
    void on(QuotaRequestCancelled event, EventMessage<?> message) {
        quotaRequest(message, event.requestId(), event.projectId(), event.service(), event.userId(), null, null,
                null);
    }

    /**
     * A step of a quota request is told to the member who asked and, when a tenant admin asked for someone else,
     * to that member too. Those who can decide it read it as well: the tenant admins see their project's
     * notifications, the operator everyone's.
     *
     * @param requestedBy the requester, or null to look them up (the later events do not repeat it)
     */
    private void quotaRequest(EventMessage<?> message, String requestId, String projectId, String service,
                              String userId, String requestedBy, Map<String, Long> resources, String reason) {
        String requester = requestedBy != null ? requestedBy
                : quotaRequests.find(UUID.fromString(requestId)).map(QuotaRequestView::requestedBy).orElse(userId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requestId", requestId);
        details.put("event", message.getPayloadType().getSimpleName());
        details.put("service", service);
        details.put("userId", userId);
        details.put("requestedBy", requester);
        if (resources != null) {
            details.put("resources", resources);
        }
        if (reason != null) {
            details.put("reason", reason);
        }
        String detailsJson = json.writeValueAsString(details);
        notifications.add("event:" + message.getIdentifier(), NotificationType.QUOTA_REQUEST.name(),
                message.getTimestamp(), projectId, requester, null, detailsJson);
        if (!requester.equals(userId)) {
            notifications.add("event:" + message.getIdentifier() + ":" + userId,
                    NotificationType.QUOTA_REQUEST.name(), message.getTimestamp(), projectId, userId, null,
                    detailsJson);
        }
    }
}
