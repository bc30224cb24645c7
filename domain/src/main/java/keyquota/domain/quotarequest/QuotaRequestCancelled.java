package keyquota.domain.quotarequest;

import java.time.Instant;

public record QuotaRequestCancelled(String requestId, String projectId, String service, String userId,
                                    Decider cancelledBy, Instant cancelledAt) {
}
