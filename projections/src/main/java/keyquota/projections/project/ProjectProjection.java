package keyquota.projections.project;

import keyquota.domain.project.ProjectCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
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
                .query((rs, n) -> row(rs))
                .optional();
    }

    /**
     * One page of every project, newest first (the operator looks for the one just made).
     *
     * @param after the last project of the previous page, or null for the first page
     */
    public ProjectPage page(int limit, String after) {
        String sql = "SELECT project_id, name, created_at FROM project"
                + (after == null ? "" : " WHERE (created_at, project_id) < "
                + "(SELECT created_at, project_id FROM project WHERE project_id = :after)")
                + " ORDER BY created_at DESC, project_id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("limit", limit + 1);
        if (after != null) {
            query = query.param("after", after);
        }
        List<ProjectView> rows = new ArrayList<>(query.query((rs, n) -> row(rs)).list());
        String next = null;
        if (rows.size() > limit) {
            rows.remove(limit);
            next = rows.get(limit - 1).projectId();
        }
        return new ProjectPage(rows, next);
    }

    private static ProjectView row(ResultSet rs) throws SQLException {
        return new ProjectView(rs.getString("project_id"), rs.getString("name"),
                rs.getTimestamp("created_at").toInstant());
    }
}
