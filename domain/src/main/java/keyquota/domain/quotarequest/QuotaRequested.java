package keyquota.domain.quotarequest;

import java.time.Instant;
import java.util.Map;

public record QuotaRequested(String requestId, String projectId, String service, String userId,
                             Map<String, Long> resources, String reason, String requestedBy, Instant requestedAt) {
}
