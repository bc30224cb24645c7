package keyquota.projections.member;

import keyquota.domain.Role;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.RowMapper;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The current members of each project. Written in the command's transaction, so it is never behind. */
@Component
@ProcessingGroup(MemberProjection.NAME)
public class MemberProjection {

    public static final String NAME = "members";

    private static final RowMapper<MemberView> ROW = (rs, n) -> new MemberView(rs.getString("project_id"),
            rs.getString("user_id"), Role.valueOf(rs.getString("role")), rs.getTimestamp("joined_at").toInstant(),
            rs.getString("email"));

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;

    public MemberProjection(JdbcClient jdbc, ReadModelWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @EventHandler
    void on(Object event) {
        MemberChanges.apply(event, changes);
    }

    private final MemberChanges changes = new MemberChanges() {

        @Override
        public void joined(String projectId, String userId, Role role, Instant joinedAt, String email) {
            writes.update("""
                            INSERT INTO project_member (project_id, user_id, role, joined_at, email)
                            VALUES (?, ?, ?, ?, ?)""",
                    projectId, userId, role.name(), Timestamp.from(joinedAt), email);
        }

        @Override
        public void emailChanged(String projectId, String userId, String email) {
            writes.update("UPDATE project_member SET email = ? WHERE project_id = ? AND user_id = ?", email,
                    projectId, userId);
        }

        @Override
        public void roleChanged(String projectId, String userId, Role role) {
            writes.update("UPDATE project_member SET role = ? WHERE project_id = ? AND user_id = ?", role.name(),
                    projectId, userId);
        }

        @Override
        public void removed(String projectId, String userId) {
            writes.update("DELETE FROM project_member WHERE project_id = ? AND user_id = ?", projectId, userId);
        }
    };

    public Optional<MemberView> find(String projectId, String userId) {
        return jdbc.sql("SELECT * FROM project_member WHERE project_id = ? AND user_id = ?")
                .params(projectId, userId)
                .query(ROW)
                .optional();
    }

    public List<MemberView> list(String projectId) {
        return jdbc.sql("SELECT * FROM project_member WHERE project_id = ? ORDER BY joined_at, user_id")
                .param(projectId)
                .query(ROW)
                .list();
    }
}
