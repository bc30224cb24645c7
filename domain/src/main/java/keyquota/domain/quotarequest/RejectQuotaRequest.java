package keyquota.domain.quotarequest;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RejectQuotaRequest(@TargetAggregateIdentifier String requestId, Decider decider, String reason) {
}
