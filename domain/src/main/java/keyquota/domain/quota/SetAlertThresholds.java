package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

public record SetAlertThresholds(String projectId, String service, List<Integer> thresholds) {

    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }
}
