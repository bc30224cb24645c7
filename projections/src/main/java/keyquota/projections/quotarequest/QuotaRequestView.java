package keyquota.projections.quotarequest;

import keyquota.domain.quotarequest.Decider;
import keyquota.domain.quotarequest.QuotaRequestStatus;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A quota request as it stands.
 *
 * @param userId      whose quota it asks for
 * @param requestedBy the member who asked
 * @param forwardedAt when a tenant admin handed it to the operator, or null (also forwardedBy and forwardReason)
 * @param decidedAt   when it was approved, rejected or cancelled, or null while open (also decidedBy)
 */
public record QuotaRequestView(UUID requestId, String projectId, String service, String userId, String requestedBy,
                               Map<String, Long> resources, String reason, QuotaRequestStatus status,
                               Instant createdAt, Instant forwardedAt, String forwardedBy, String forwardReason,
                               Instant decidedAt, Decider decidedBy, String decisionReason) {

    /** The requester, and the member it was made for, follow it. */
    public boolean involves(String member) {
        return member.equals(userId) || member.equals(requestedBy);
    }
}
