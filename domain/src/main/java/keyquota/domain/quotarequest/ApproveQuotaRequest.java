package keyquota.domain.quotarequest;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ApproveQuotaRequest(@TargetAggregateIdentifier String requestId, Decider decider) {
}
