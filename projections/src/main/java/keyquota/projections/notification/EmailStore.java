package keyquota.projections.notification;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Email deliveries of notifications to members, claimed by any node with an SMTP server. */
@Component
public class EmailStore {

    /** A delivery claimed for an attempt, with the member's address as it is now (null: none given). */
    public record DueEmail(long position, Notification notification, String email, int attempts,
                           Instant createdAt) {
    }

    private final JdbcClient jdbc;

    public EmailStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** From now on, every notification to a member gets an email delivery. */
    public void switchOn() {
        jdbc.sql("""
                INSERT INTO notification_channel (name, enabled) VALUES ('email', TRUE)
                ON CONFLICT (name) DO UPDATE SET enabled = TRUE""").update();
    }

    /**
     * Claims due deliveries for one attempt each: counts the attempt and leases them until {@code leaseUntil}, so
     * that no other node sends them meanwhile, and one that dies mid-send only lets the lease run out.
     */
    public List<DueEmail> claim(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("""
                        UPDATE email_delivery d SET attempts = d.attempts + 1, last_attempt_at = :now,
                                                    next_attempt_at = :leaseUntil
                        FROM (SELECT notification_position FROM email_delivery
                              WHERE status = 'PENDING' AND next_attempt_at <= :now
                              ORDER BY notification_position LIMIT :limit FOR UPDATE SKIP LOCKED) due,
                             notification n
                             LEFT JOIN project_member m ON m.project_id = n.project_id AND m.user_id = n.user_id
                        WHERE d.notification_position = due.notification_position
                          AND n.position = d.notification_position
                        RETURNING n.position, n.notification_id, n.type, n.created_at AS notified_at, n.project_id,
                                  n.user_id, n.key_id, n.details, m.email, d.attempts, d.created_at""")
                .param("now", Timestamp.from(now))
                .param("leaseUntil", Timestamp.from(leaseUntil))
                .param("limit", limit)
                .query((rs, n) -> new DueEmail(rs.getLong("position"),
                        new Notification(rs.getLong("position"), rs.getObject("notification_id", UUID.class),
                                rs.getString("type"), rs.getTimestamp("notified_at").toInstant(),
                                rs.getString("project_id"), rs.getString("user_id"),
                                rs.getObject("key_id", UUID.class), rs.getString("details")),
                        rs.getString("email"), rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** SENT, or SKIPPED for a member with no address: either way never sent again. */
    public void done(long position, String status) {
        jdbc.sql("UPDATE email_delivery SET status = ? WHERE notification_position = ?").params(status, position)
                .update();
    }

    /** @param next when to try again, or null: FAILED */
    public void notSent(long position, Instant next) {
        jdbc.sql("""
                        UPDATE email_delivery SET status = CASE WHEN CAST(? AS timestamptz) IS NULL THEN 'FAILED'
                                                                ELSE 'PENDING' END,
                                                  next_attempt_at = COALESCE(CAST(? AS timestamptz), next_attempt_at)
                        WHERE notification_position = ?""")
                .params(next == null ? null : Timestamp.from(next), next == null ? null : Timestamp.from(next),
                        position)
                .update();
    }

    public String status(long position) {
        return jdbc.sql("SELECT status FROM email_delivery WHERE notification_position = ?").param(position)
                .query(String.class).optional().orElse(null);
    }
}
