package keyquota.domain.quota;

import java.util.Map;

/** A member's quota, every resource of the service, before and after. */
public record MemberQuotaSet(String projectId, String service, String userId, Map<String, Long> oldQuota,
                             Map<String, Long> newQuota, boolean forced) {
}
