package keyquota.domain.quotarequest;

import java.time.Instant;

public record QuotaRequestRejected(String requestId, String projectId, String service, String userId,
                                   Decider decidedBy, String reason, Instant decidedAt) {
}
