package keyquota.domain.quotarequest;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** @param reason why the tenant admin hands it to the operator, or null */
public record ForwardQuotaRequest(@TargetAggregateIdentifier String requestId, Decider decider, String reason) {
}
