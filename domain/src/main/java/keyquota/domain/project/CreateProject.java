package keyquota.domain.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateProject(@TargetAggregateIdentifier String projectId, String name) {
}
