package keyquota.projections.notification;

import keyquota.domain.InvalidValue;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The notifications table: each made once, by the unique cause it came from; read newest first. */
@Component
public class NotificationStore {

    static final RowMapper<Notification> ROW = (rs, n) -> new Notification(
            rs.getLong("position"),
            rs.getObject("notification_id", UUID.class),
            rs.getString("type"),
            rs.getTimestamp("created_at").toInstant(),
            rs.getString("project_id"),
            rs.getString("user_id"),
            rs.getObject("key_id", UUID.class),
            rs.getString("details"));

    private final JdbcClient jdbc;

    public NotificationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return whether it was made now; false when its cause had made it already */
    public boolean add(String cause, String type, Instant createdAt, String projectId, String userId, UUID keyId,
                       String detailsJson) {
        return jdbc.sql("""
                        INSERT INTO notification (notification_id, type, created_at, project_id, user_id, key_id,
                                                  details, cause)
                        VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                        ON CONFLICT (cause) DO NOTHING""")
                .params(UUID.randomUUID(), type, Timestamp.from(createdAt), projectId, userId, keyId, detailsJson,
                        cause)
                .update() == 1;
    }

    /**
     * Warns the owner of every active member key whose expiry is one of the marks away (and was further than that
     * when the key was made), and of every key that expired within the last day: once per key and mark, however
     * many nodes scan. A key rolled to another is left alone: its end was chosen.
     *
     * @return how many notifications were made
     */
    public int addExpiryWarnings(Instant now) {
        int made = jdbc.sql("""
                        INSERT INTO notification (notification_id, type, created_at, project_id, user_id, key_id,
                                                  details, cause)
                        SELECT gen_random_uuid(), 'KEY_EXPIRING', :now, k.project_id, k.user_id, k.key_id,
                               jsonb_build_object('days', m.days, 'maskedKey', k.masked_key, 'name', k.name,
                                                  'expiresAt', to_char(k.expires_at AT TIME ZONE 'UTC',
                                                                       'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                               'expiring:' || k.key_id || ':' || m.days
                        FROM api_key k
                        CROSS JOIN (VALUES (14, 7), (7, 1), (1, 0)) AS m(days, below)
                        WHERE k.type = 'MEMBER' AND NOT k.deleted AND NOT k.disabled AND k.replaced_by IS NULL
                          AND k.expires_at <= CAST(:now AS timestamptz) + make_interval(days => m.days)
                          AND k.expires_at > CAST(:now AS timestamptz) + make_interval(days => m.below)
                          AND k.expires_at - k.created_at > make_interval(days => m.days)
                        ON CONFLICT (cause) DO NOTHING""")
                .param("now", Timestamp.from(now))
                .update();
        return made + jdbc.sql("""
                        INSERT INTO notification (notification_id, type, created_at, project_id, user_id, key_id,
                                                  details, cause)
                        SELECT gen_random_uuid(), 'KEY_EXPIRED', :now, k.project_id, k.user_id, k.key_id,
                               jsonb_build_object('maskedKey', k.masked_key, 'name', k.name,
                                                  'expiresAt', to_char(k.expires_at AT TIME ZONE 'UTC',
                                                                       'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                               'expired:' || k.key_id
                        FROM api_key k
                        WHERE k.type = 'MEMBER' AND NOT k.deleted AND NOT k.disabled AND k.replaced_by IS NULL
                          AND k.expires_at <= :now AND k.expires_at > :since
                        ON CONFLICT (cause) DO NOTHING""")
                .param("now", Timestamp.from(now))
                .param("since", Timestamp.from(now.minus(Duration.ofDays(1))))
                .update();
    }

    public record Page(List<Notification> notifications, String nextCursor) {
    }

    /**
     * Newest first.
     *
     * @param projectId only this project's, or null for all
     * @param userId    only those to this member, or null for the whole project's
     */
    public Page page(String projectId, String userId, String type, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT * FROM notification WHERE TRUE");
        Map<String, Object> params = new HashMap<>();
        if (projectId != null) {
            sql.append(" AND project_id = :projectId");
            params.put("projectId", projectId);
        }
        if (userId != null) {
            sql.append(" AND user_id = :userId");
            params.put("userId", userId);
        }
        if (type != null) {
            sql.append(" AND type = :type");
            params.put("type", type);
        }
        if (cursor != null) {
            sql.append(" AND position < :before");
            params.put("before", decode(cursor));
        }
        sql.append(" ORDER BY position DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<Notification> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(ROW).list());
        String next = null;
        if (rows.size() > limit) {
            rows.remove(limit);
            next = Long.toString(rows.get(limit - 1).position());
        }
        return new Page(rows, next);
    }

    /** How many of the notifications {@link #page} would show are newer than the reader last saw. */
    public long unread(String reader, String projectId, String userId) {
        return jdbc.sql("""
                        SELECT count(*) FROM notification
                        WHERE (CAST(:projectId AS varchar) IS NULL OR project_id = :projectId)
                          AND (CAST(:userId AS varchar) IS NULL OR user_id = :userId)
                          AND position > COALESCE((SELECT position FROM notification_seen WHERE reader = :reader), 0)""")
                .param("projectId", projectId).param("userId", userId).param("reader", reader)
                .query(Long.class).single();
    }

    /** The reader has seen everything up to this position; seeing is never undone. */
    public void seen(String reader, long position) {
        jdbc.sql("""
                        INSERT INTO notification_seen (reader, position) VALUES (?, ?)
                        ON CONFLICT (reader) DO UPDATE SET position = GREATEST(notification_seen.position,
                                                                               EXCLUDED.position)""")
                .params(reader, position).update();
    }

    private static long decode(String cursor) {
        try {
            long position = Long.parseLong(cursor);
            if (position > 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidValue("cursor", "is not a cursor this service returned");
    }
}
