package keyquota.domain.quotarequest;

import java.time.Instant;

/** @param reason why it was handed to the operator, or null */
public record QuotaRequestForwarded(String requestId, String projectId, String service, String userId,
                                    Decider forwardedBy, String reason, Instant forwardedAt) {
}
