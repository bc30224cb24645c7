package keyquota.domain.quotarequest;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CancelQuotaRequest(@TargetAggregateIdentifier String requestId, Decider decider) {
}
