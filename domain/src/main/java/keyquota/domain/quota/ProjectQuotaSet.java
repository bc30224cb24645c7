package keyquota.domain.quota;

import java.util.Map;

/** The project's quota, every resource of the service, before and after. */
public record ProjectQuotaSet(String projectId, String service, Map<String, Long> oldQuota,
                              Map<String, Long> newQuota, boolean forced) {
}
