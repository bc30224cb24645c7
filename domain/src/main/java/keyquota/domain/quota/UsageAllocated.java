package keyquota.domain.quota;

import java.time.Instant;
import java.util.Map;

/** Usage taken, with the member's and project's usage after it (every resource of the service). */
public record UsageAllocated(String projectId, String service, String allocationId, String userId,
                             Map<String, Long> resources, Map<String, Long> memberUsage,
                             Map<String, Long> projectUsage, Instant allocatedAt) {
}
