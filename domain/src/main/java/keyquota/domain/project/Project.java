package keyquota.domain.project;

import keyquota.domain.ProjectId;
import keyquota.domain.Time;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A TWCC project. Its identifier is the project id itself, so a second CreateProject for the same id clashes
 * in the event store at sequence 0: project ids are unique on any number of nodes.
 */
public class Project {

    @AggregateIdentifier
    private String projectId;

    protected Project() {
    }

    @CommandHandler
    public Project(CreateProject command, Clock clock) {
        ProjectId.ensureValid(command.projectId());
        apply(new ProjectCreated(command.projectId(), command.name(), Time.now(clock)));
    }

    @EventSourcingHandler
    void on(ProjectCreated event) {
        projectId = event.projectId();
    }
}
