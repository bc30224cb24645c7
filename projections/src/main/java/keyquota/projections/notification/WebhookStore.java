package keyquota.projections.notification;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The webhooks and their deliveries. Deliveries are made by the database itself, with each notification (see
 * V10__webhooks.sql); this claims them for an attempt and records how it went.
 */
@Component
public class WebhookStore {

    private static final RowMapper<Webhook> WEBHOOK = (rs, n) -> new Webhook(
            rs.getObject("webhook_id", UUID.class),
            rs.getString("url"),
            rs.getString("project_id"),
            types(rs.getArray("types")),
            rs.getTimestamp("created_at").toInstant());

    private static final RowMapper<WebhookDelivery> DELIVERY = (rs, n) -> new WebhookDelivery(
            rs.getObject("delivery_id", UUID.class),
            rs.getObject("notification_id", UUID.class),
            rs.getString("status"),
            rs.getInt("attempts"),
            instant(rs.getTimestamp("last_attempt_at")),
            rs.getObject("last_status_code", Integer.class));

    private static final RowMapper<DueDelivery> DUE = (rs, n) -> new DueDelivery(
            rs.getObject("delivery_id", UUID.class),
            rs.getObject("webhook_id", UUID.class),
            rs.getString("url"),
            rs.getString("secret"),
            rs.getInt("attempts"),
            rs.getTimestamp("delivery_created_at").toInstant(),
            NotificationStore.ROW.mapRow(rs, n));

    private final JdbcClient jdbc;

    public WebhookStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void add(Webhook webhook, String secret) {
        jdbc.sql("""
                        INSERT INTO webhook (webhook_id, url, project_id, types, secret, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(webhook.webhookId(), webhook.url(), webhook.projectId(),
                        webhook.types() == null ? null : webhook.types().toArray(String[]::new), secret,
                        Timestamp.from(webhook.createdAt()))
                .update();
    }

    /** @param projectId only this project's (not those for every project), or null for all */
    public List<Webhook> list(String projectId) {
        return jdbc.sql("""
                        SELECT * FROM webhook
                        WHERE NOT deleted AND (CAST(:projectId AS varchar) IS NULL OR project_id = :projectId)
                        ORDER BY created_at, webhook_id""")
                .param("projectId", projectId)
                .query(WEBHOOK).list();
    }

    public Optional<Webhook> find(UUID webhookId) {
        return jdbc.sql("SELECT * FROM webhook WHERE webhook_id = ? AND NOT deleted")
                .param(webhookId).query(WEBHOOK).optional();
    }

    /** Its deliveries not yet sent are not sent any more. */
    public void delete(UUID webhookId) {
        jdbc.sql("UPDATE webhook SET deleted = TRUE WHERE webhook_id = ?").param(webhookId).update();
    }

    /** The newest first. */
    public List<WebhookDelivery> deliveries(UUID webhookId, int limit) {
        return jdbc.sql("""
                        SELECT d.*, n.notification_id FROM webhook_delivery d
                        JOIN notification n ON n.position = d.notification_position
                        WHERE d.webhook_id = ?
                        ORDER BY d.notification_position DESC LIMIT ?""")
                .params(webhookId, limit)
                .query(DELIVERY).list();
    }

    /**
     * Claims due deliveries for an attempt: counts the attempt and leases each until {@code leaseEnd}, after which
     * another attempt may claim it again (the node sending it may have died). Only the oldest pending delivery of
     * each webhook is due, so a webhook's notifications arrive in order. SKIP LOCKED lets nodes claim side by side,
     * each a delivery the others did not.
     */
    public List<DueDelivery> claim(Instant now, Instant leaseEnd, int limit) {
        return jdbc.sql("""
                        WITH claimed AS (
                            UPDATE webhook_delivery d
                            SET attempts = d.attempts + 1, last_attempt_at = :now, next_attempt_at = :leaseEnd
                            FROM (SELECT due.delivery_id FROM webhook_delivery due
                                  JOIN webhook w ON w.webhook_id = due.webhook_id
                                  WHERE due.status = 'PENDING' AND due.next_attempt_at <= :now AND NOT w.deleted
                                    AND NOT EXISTS (SELECT 1 FROM webhook_delivery earlier
                                                    WHERE earlier.webhook_id = due.webhook_id
                                                      AND earlier.status = 'PENDING'
                                                      AND earlier.notification_position < due.notification_position)
                                  ORDER BY due.next_attempt_at
                                  LIMIT :limit
                                  FOR UPDATE OF due SKIP LOCKED) due
                            WHERE d.delivery_id = due.delivery_id
                            RETURNING d.delivery_id, d.webhook_id, d.notification_position, d.attempts,
                                      d.created_at AS delivery_created_at)
                        SELECT c.delivery_id, c.webhook_id, c.attempts, c.delivery_created_at, w.url, w.secret, n.*
                        FROM claimed c
                        JOIN webhook w ON w.webhook_id = c.webhook_id
                        JOIN notification n ON n.position = c.notification_position""")
                .param("now", Timestamp.from(now))
                .param("leaseEnd", Timestamp.from(leaseEnd))
                .param("limit", limit)
                .query(DUE).list();
    }

    public void delivered(UUID deliveryId, int statusCode) {
        jdbc.sql("""
                        UPDATE webhook_delivery SET status = 'DELIVERED', last_status_code = ?
                        WHERE delivery_id = ? AND status = 'PENDING'""")
                .params(statusCode, deliveryId).update();
    }

    /** @param nextAttemptAt when to try again, or null: tried for long enough, it has FAILED */
    public void notDelivered(UUID deliveryId, Integer statusCode, Instant nextAttemptAt) {
        jdbc.sql("""
                        UPDATE webhook_delivery
                        SET last_status_code = :statusCode,
                            status = CASE WHEN CAST(:next AS timestamptz) IS NULL THEN 'FAILED' ELSE 'PENDING' END,
                            next_attempt_at = COALESCE(CAST(:next AS timestamptz), next_attempt_at)
                        WHERE delivery_id = :deliveryId AND status = 'PENDING'""")
                .param("statusCode", statusCode)
                .param("next", nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt))
                .param("deliveryId", deliveryId)
                .update();
    }

    private static List<String> types(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
