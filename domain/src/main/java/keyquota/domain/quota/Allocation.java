package keyquota.domain.quota;

import java.time.Instant;
import java.util.Map;

/**
 * An allocation as first answered: what was asked and the usage right after it. It is kept after its release
 * too (for the project's most recent releases), so the same allocation id sent again still gets the first
 * answer and never counts twice.
 */
public record Allocation(String allocationId, String userId, Map<String, Long> resources,
                         Map<String, Long> memberUsage, Map<String, Long> projectUsage, Instant allocatedAt) {

    boolean sameRequest(String otherUserId, Map<String, Long> otherResources) {
        return userId.equals(otherUserId) && resources.equals(otherResources);
    }
}
