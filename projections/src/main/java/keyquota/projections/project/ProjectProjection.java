package keyquota.projections.project;

import keyquota.domain.project.ProjectCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.Optional;

/** The projects, as their pages show them. Written in the command's transaction (a subscribing processor). */
@Component
@ProcessingGroup(ProjectProjection.NAME)
public class ProjectProjection {

    public static final String NAME = "projects";

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;

    public ProjectProjection(JdbcClient jdbc, ReadModelWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @EventHandler
    void on(ProjectCreated event) {
        writes.update("INSERT INTO project (project_id, name, created_at) VALUES (?, ?, ?)", event.projectId(),
                event.name(), Timestamp.from(event.createdAt()));
    }

    public Optional<ProjectView> find(String projectId) {
        return jdbc.sql("SELECT project_id, name, created_at FROM project WHERE project_id = ?")
                .param(projectId)
                .query((rs, n) -> new ProjectView(rs.getString("project_id"), rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }
}
