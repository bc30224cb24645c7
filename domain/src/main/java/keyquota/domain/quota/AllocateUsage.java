package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/** A cloud service starting something for a member: take these amounts from the member's and project's room. */
public record AllocateUsage(String projectId, String service, String allocationId, String userId,
                            Map<String, Long> resources) implements UsageChange {

    @Override
    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }
}
