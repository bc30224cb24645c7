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
 * V10__webhooks.sql).
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

    private static List<String> types(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
