package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * @param quota  the resources to change; the others keep their value. -1 means unlimited.
 * @param force  set it even below current usage or below a member's quota
 * @param dryRun check only; change nothing
 */
public record SetProjectQuota(String projectId, String service, Map<String, Long> quota, boolean force,
                              boolean dryRun) {

    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }
}
