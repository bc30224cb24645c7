package keyquota.domain.quotarequest;

import java.util.Map;

/**
 * @param userId      the member whose quota it asks for
 * @param resources   the member quota values asked for; -1 means no member cap
 * @param requestedBy the member who asks (the member themselves, or a tenant admin for them)
 */
public record RequestQuota(String requestId, String projectId, String service, String userId,
                           Map<String, Long> resources, String reason, String requestedBy) {
}
