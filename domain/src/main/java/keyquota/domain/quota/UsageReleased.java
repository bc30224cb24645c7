package keyquota.domain.quota;

import java.util.Map;

/** An allocation given back, with the member's and project's usage after it (every resource of the service). */
public record UsageReleased(String projectId, String service, String allocationId, String userId,
                            Map<String, Long> resources, Map<String, Long> memberUsage,
                            Map<String, Long> projectUsage) {
}
