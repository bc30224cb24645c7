package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Set;

/**
 * A cloud service's list of every allocation it holds for the project and service, as it stood at listedAt.
 *
 * @param dryRun find the leaks only; release nothing
 */
public record ReconcileAllocations(String projectId, String service, Instant listedAt, Set<String> allocationIds,
                                   boolean dryRun) {

    public ReconcileAllocations {
        allocationIds = Set.copyOf(allocationIds);
    }

    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }
}
