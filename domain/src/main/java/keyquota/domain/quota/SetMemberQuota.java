package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * @param quota  the resources to change; the others keep their value. -1 means no member cap.
 * @param force  set it even below the member's current usage
 * @param dryRun check only; change nothing
 */
public record SetMemberQuota(String projectId, String service, String userId, Map<String, Long> quota,
                             boolean force, boolean dryRun) {

    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }
}
