package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ReleaseUsage(String projectId, String service, String allocationId) implements UsageChange {

    @Override
    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }
}
