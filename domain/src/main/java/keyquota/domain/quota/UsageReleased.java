package keyquota.domain.quota;

import java.util.Map;

/**
 * An allocation given back, with the member's and project's usage after it (every resource of the service), and
 * why (events stored before reconciles existed hold no reason: they were released).
 */
public record UsageReleased(String projectId, String service, String allocationId, String userId,
                            Map<String, Long> resources, Map<String, Long> memberUsage,
                            Map<String, Long> projectUsage, ReleaseReason reason) {

    public UsageReleased {
        reason = reason == null ? ReleaseReason.RELEASED : reason;
    }
}
