package keyquota.projections.quotarequest;

import keyquota.domain.InvalidValue;
import keyquota.domain.quotarequest.Decider;
import keyquota.domain.quotarequest.QuotaRequestApproved;
import keyquota.domain.quotarequest.QuotaRequestCancelled;
import keyquota.domain.quotarequest.QuotaRequestForwarded;
import keyquota.domain.quotarequest.QuotaRequestRejected;
import keyquota.domain.quotarequest.QuotaRequestStatus;
import keyquota.domain.quotarequest.QuotaRequested;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Quota requests, as the list shows them. Written in the command's transaction (a subscribing processor), so
 * the answer to a step, and any list after it, already shows that step.
 */
@Component
@ProcessingGroup(QuotaRequestProjection.NAME)
public class QuotaRequestProjection {

    public static final String NAME = "quota_requests";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Long>> RESOURCES = new TypeReference<>() {
    };
    private static final RowMapper<QuotaRequestView> ROW = (rs, n) -> row(rs);

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;

    public QuotaRequestProjection(JdbcClient jdbc, ReadModelWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @EventHandler
    void on(QuotaRequested event) {
        UUID id = UUID.fromString(event.requestId());
        writes.updateIn(id, """
                        INSERT INTO quota_request (request_id, project_id, service, user_id, requested_by, resources,
                                                   reason, status, created_at)
                        VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)""",
                id, event.projectId(), event.service(), event.userId(), event.requestedBy(),
                JSON.writeValueAsString(event.resources()), event.reason(), QuotaRequestStatus.PENDING.name(),
                Timestamp.from(event.requestedAt()));
    }

    @EventHandler
    void on(QuotaRequestForwarded event) {
        UUID id = UUID.fromString(event.requestId());
        writes.updateIn(id, """
                        UPDATE quota_request SET status = ?, forwarded_at = ?, forwarded_by = ?, forward_reason = ?
                        WHERE request_id = ?""",
                QuotaRequestStatus.FORWARDED.name(), Timestamp.from(event.forwardedAt()),
                event.forwardedBy().userId(), event.reason(), id);
    }

    @EventHandler
    void on(QuotaRequestApproved event) {
        decided(event.requestId(), QuotaRequestStatus.APPROVED, event.decidedAt(), event.decidedBy(), null);
    }

    @EventHandler
    void on(QuotaRequestRejected event) {
        decided(event.requestId(), QuotaRequestStatus.REJECTED, event.decidedAt(), event.decidedBy(),
                event.reason());
    }

    @EventHandler
    void on(QuotaRequestCancelled event) {
        decided(event.requestId(), QuotaRequestStatus.CANCELLED, event.cancelledAt(), event.cancelledBy(), null);
    }

    private void decided(String requestId, QuotaRequestStatus status, Instant at, Decider by, String reason) {
        UUID id = UUID.fromString(requestId);
        writes.updateIn(id, """
                        UPDATE quota_request SET status = ?, decided_at = ?, decided_by_type = ?, decided_by = ?,
                                                 decision_reason = ?
                        WHERE request_id = ?""",
                status.name(), Timestamp.from(at), by.operator() ? "OPERATOR" : "MEMBER", by.userId(), reason, id);
    }

    public Optional<QuotaRequestView> find(UUID requestId) {
        return jdbc.sql("SELECT * FROM quota_request WHERE request_id = ?").param(requestId).query(ROW).optional();
    }

    /**
     * One page of a project's requests, newest first.
     *
     * @param involving only those this member made or that were made for them, or null for all
     * @param status    only those in this status, or null for all
     * @param cursor    the last request of the previous page, or null for the first page
     */
    public QuotaRequestPage page(String projectId, String involving, QuotaRequestStatus status, int limit,
                                 String cursor) {
        StringBuilder sql = new StringBuilder("SELECT * FROM quota_request WHERE project_id = :projectId");
        Map<String, Object> params = new HashMap<>();
        params.put("projectId", projectId);
        if (involving != null) {
            sql.append(" AND (user_id = :involving OR requested_by = :involving)");
            params.put("involving", involving);
        }
        if (status != null) {
            sql.append(" AND status = :status");
            params.put("status", status.name());
        }
        if (cursor != null) {
            sql.append(" AND (created_at, request_id) < "
                    + "(SELECT created_at, request_id FROM quota_request WHERE request_id = :after)");
            params.put("after", decode(cursor));
        }
        sql.append(" ORDER BY created_at DESC, request_id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<QuotaRequestView> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(ROW).list());
        String next = null;
        if (rows.size() > limit) {
            rows.remove(limit);
            next = rows.get(limit - 1).requestId().toString();
        }
        return new QuotaRequestPage(rows, next);
    }

    private static UUID decode(String cursor) {
        try {
            return UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("cursor", "is not a cursor this service returned");
        }
    }

    private static QuotaRequestView row(ResultSet rs) throws SQLException {
        String decidedByType = rs.getString("decided_by_type");
        Decider decidedBy = decidedByType == null ? null
                : "OPERATOR".equals(decidedByType) ? Decider.theOperator() : Decider.member(rs.getString("decided_by"));
        return new QuotaRequestView(rs.getObject("request_id", UUID.class), rs.getString("project_id"),
                rs.getString("service"), rs.getString("user_id"), rs.getString("requested_by"),
                JSON.readValue(rs.getString("resources"), RESOURCES), rs.getString("reason"),
                QuotaRequestStatus.valueOf(rs.getString("status")), instant(rs, "created_at"),
                instant(rs, "forwarded_at"), rs.getString("forwarded_by"), rs.getString("forward_reason"),
                instant(rs, "decided_at"), decidedBy, rs.getString("decision_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
