package keyquota.projections.audit;

import java.time.Instant;
import java.util.UUID;

/** One state change of the service: what happened, when, to what, and who did it. */
public record AuditEntry(long position, Instant occurredAt, String type, String actorType, String actorUserId,
                         UUID actorKeyId, String correlationId, String projectId, String userId, UUID keyId,
                         String subject, String detailsJson) {
}
