package keyquota.api.audit;

import keyquota.api.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Holes in the global index: a transaction that drew an index and rolled back leaves one for good, and one still
 * running may yet fill it. The audit log must neither freeze at the first kind nor page past the second.
 */
class AuditGapTest extends AuditTestBase {

    private static final String INSERT_EVENT = """
            INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, time_stamp,
                                            payload_type, payload)
            VALUES (?, ?, 0, '2026-01-01T00:00:00Z', 'gap.Test', '\\x7b7d'::bytea)
            RETURNING global_index""";

    /** How long an audit read waits at most for the log to catch up (AuditLog). */
    private static final Duration AUDIT_READ_BOUND = Duration.ofSeconds(5);

    @Autowired
    private DataSource dataSource;

    /** Inserts an event row in the open transaction and answers the global index it drew. */
    private static long drawIndex(Connection connection, String aggregateId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, aggregateId);
            try (ResultSet drawn = insert.executeQuery()) {
                drawn.next();
                return drawn.getLong(1);
            }
        }
    }

    private static long lastDrawnIndex(Connection connection) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT last_value FROM domain_event_entry_global_index_seq");
             ResultSet result = read.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private List<JsonNode> entriesNow(String projectId) {
        Api.Response page = api.get(AUDIT + "?projectId=" + enc(projectId), OPERATOR);
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        return page.body().path("entries").valueStream().toList();
    }

    @Test
    void anEventThatClashedAndRolledBackHoldsNothingBack() throws SQLException {
        String clashing = createProject();
        long hole;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            // The project's aggregate already has an event at sequence 0: this insert draws an index and fails.
            assertThatThrownBy(() -> drawIndex(connection, clashing)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("duplicate key");
            connection.rollback();
            hole = lastDrawnIndex(connection);
        }

        String later = createProject();

        List<JsonNode> entries = entriesNow(later);
        assertThat(entries).as("read right after the command, past a hole at %d", hole).hasSize(1);
        assertThat(entries.get(0).path("position").asLong()).isGreaterThan(hole);
        assertThat(entries.get(0).path("type").asString()).isEqualTo("ProjectCreated");
        JsonNode audit = projection("audit");
        assertThat(audit.path("position").asLong()).as(audit.toString()).isGreaterThan(hole);
    }

    /** No event will come after the newest index: a read must not wait its whole bound for one. */
    @Test
    void aHoleAtTheEndOfTheIndexHoldsNoReadBack() throws SQLException {
        String project = createProject();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            drawIndex(connection, "gap-" + UUID.randomUUID());
            connection.rollback();
        }

        long start = System.nanoTime();
        List<JsonNode> entries = entriesNow(project);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(entries).hasSize(1);
        assertThat(millis).as("a read waits for the log, not for the hole (its bound is %s)",
                AUDIT_READ_BOUND).isLessThan(AUDIT_READ_BOUND.toMillis() / 2);
    }

    @Test
    void anIndexStillHeldByARunningTransactionHoldsLaterEntriesBackUntilItEnds() throws SQLException {
        String project;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long held = drawIndex(connection, "gap-" + UUID.randomUUID());

            project = createProject();

            assertThat(entriesNow(project)).as("an event may still commit at %d, below this project's", held)
                    .isEmpty();
            assertThat(projection("audit").path("position").asLong()).isLessThan(held);
            connection.rollback();
        }

        List<JsonNode> entries = entriesNow(project);
        assertThat(entries).as("the hole is let go once its transaction has ended").hasSize(1);
        assertThat(entries.get(0).path("type").asString()).isEqualTo("ProjectCreated");
    }

    @Test
    void anAuditReadShowsTheCommandsAcknowledgedBeforeIt() {
        String project = createProject();
        addMember(project, "alice", "TENANT_ADMIN");
        String keyId = createKey(project, "alice").text("keyId");
        assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + keyId, OPERATOR).status()).isEqualTo(204);

        assertThat(entriesNow(project)).extracting(entry -> entry.path("type").asString())
                .containsExactly("ProjectCreated", "MemberJoined", "KeyCreated", "KeyDeleted");
    }
}
