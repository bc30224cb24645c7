package keyquota.domain.quota;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Usage taken, with the member's and project's usage after it (every resource of the service) and the alert
 * thresholds it reached (none in events stored before alerts existed).
 */
public record UsageAllocated(String projectId, String service, String allocationId, String userId,
                             Map<String, Long> resources, Map<String, Long> memberUsage,
                             Map<String, Long> projectUsage, Instant allocatedAt,
                             List<ThresholdCrossed> thresholdsCrossed) {

    public UsageAllocated {
        thresholdsCrossed = thresholdsCrossed == null ? List.of() : List.copyOf(thresholdsCrossed);
    }
}
