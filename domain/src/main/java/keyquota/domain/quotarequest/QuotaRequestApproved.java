package keyquota.domain.quotarequest;

import java.time.Instant;
import java.util.Map;

/** @param resources the member quota values it grants, as they were asked for */
public record QuotaRequestApproved(String requestId, String projectId, String service, String userId,
                                   Map<String, Long> resources, Decider decidedBy, Instant decidedAt) {
}
