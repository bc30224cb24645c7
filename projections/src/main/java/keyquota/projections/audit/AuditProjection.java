package keyquota.projections.audit;

import keyquota.domain.audit.AuditMetadata;
import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The audit log: one entry per event, at the event's position in the store. A streaming processor builds it
 * (it may lag a moment behind the commands); a failing event is parked in the dead-letter queue instead of
 * stopping the log, and writing an entry twice changes nothing, so a retried event is harmless.
 */
@Component
@ProcessingGroup(AuditProjection.NAME)
public class AuditProjection {

    public static final String NAME = "audit";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final RowMapper<AuditEntry> ROW = (rs, n) -> new AuditEntry(
            rs.getLong("position"),
            rs.getTimestamp("occurred_at").toInstant(),
            rs.getString("type"),
            rs.getString("actor_type"),
            rs.getString("actor_user_id"),
            rs.getObject("actor_key_id", UUID.class),
            rs.getString("correlation_id"),
            rs.getString("project_id"),
            rs.getString("user_id"),
            rs.getObject("key_id", UUID.class),
            rs.getString("subject"),
            rs.getString("details"));

    private static final String INSERT = """
            INSERT INTO audit_entry (occurred_at, type, actor_type, actor_user_id, actor_key_id, correlation_id,
                                     project_id, user_id, key_id, subject, details, position)
            """;
    private static final String VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)";
    /** Where the position is known (a rebuild): the entry as it is. */
    private static final String INSERT_AT_POSITION = INSERT + "VALUES (" + VALUES + ", ?)";
    /**
     * Live: at the event's own place in the store, found in the same statement (a streaming token holds the
     * highest position seen, which differs for an event that committed after a later one).
     */
    private static final String INSERT_AT_EVENTS_POSITION = INSERT + "SELECT " + VALUES
            + ", event.position FROM (" + AxonTables.POSITION_OF_EVENT + ") event ON CONFLICT (position) DO NOTHING";

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;

    /**
     * @param writes live, gathered with the rest of the batch's and sent as it commits; an event that failed is
     *               tried again in a savepoint and a unit of work of its own, which sends its write inside it
     */
    public AuditProjection(JdbcClient jdbc, ReadModelWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @EventHandler
    void on(Object event, EventMessage<?> message) {
        AuditSubject subject = AuditSubject.of(event);
        Map<String, Object> metadata = message.getMetaData();
        String actorKeyId = (String) metadata.get(AuditMetadata.ACTOR_KEY_ID);
        Object[] values = {Timestamp.from(message.getTimestamp()), event.getClass().getSimpleName(),
                metadata.getOrDefault(AuditMetadata.ACTOR_TYPE, AuditMetadata.SYSTEM),
                metadata.get(AuditMetadata.ACTOR_USER_ID), actorKeyId == null ? null : UUID.fromString(actorKeyId),
                metadata.get(AuditMetadata.CORRELATION_ID), subject.projectId(), subject.userId(), subject.keyId(),
                subject.subject(), JSON.writeValueAsString(subject.details()), null};
        OptionalLong position = writes.eventPosition();
        if (position.isPresent()) {
            values[values.length - 1] = position.getAsLong();
            writes.update(INSERT_AT_POSITION, values);
        } else {
            values[values.length - 1] = message.getIdentifier();
            writes.update(INSERT_AT_EVENTS_POSITION, values);
        }
    }

    /**
     * @param horizon the position up to which the log is complete ({@link keyquota.infrastructure.eventstore.ProcessorHorizon}):
     *                entries beyond it may still be joined by earlier ones and are not shown yet, so that a
     *                reader paging with cursors skips nothing
     */
    public AuditPage entries(AuditQuery query, long horizon) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_entry WHERE TRUE");
        Map<String, Object> params = new HashMap<>();
        filter(sql, params, "project_id = :projectId", "projectId", query.projectId());
        filter(sql, params, "user_id = :userId", "userId", query.userId());
        filter(sql, params, "key_id = :keyId", "keyId", query.keyId());
        filter(sql, params, "type = :type", "type", query.type());
        filter(sql, params, "occurred_at >= :from", "from", query.from() == null ? null : Timestamp.from(query.from()));
        filter(sql, params, "occurred_at < :to", "to", query.to() == null ? null : Timestamp.from(query.to()));
        filter(sql, params, "((key_id IS NOT NULL AND user_id = :involving) OR actor_user_id = :involving)",
                "involving", query.involving());
        sql.append(" AND position <= :horizon");
        params.put("horizon", horizon);
        filter(sql, params, "position > :after", "after",
                query.cursor() == null ? null : AuditCursor.decode(query.cursor()));
        sql.append(" ORDER BY position LIMIT :limit");
        params.put("limit", query.limit() + 1);
        List<AuditEntry> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(ROW).list());
        String next = null;
        if (rows.size() > query.limit()) {
            rows.remove(query.limit());
            next = AuditCursor.encode(rows.get(query.limit() - 1).position());
        }
        return new AuditPage(rows, next);
    }

    private static void filter(StringBuilder sql, Map<String, Object> params, String condition, String name,
                               Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.put(name, value);
        }
    }
}
