package keyquota.projections.key;

import keyquota.domain.Role;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.RowMapper;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every key of every kind, written in the command's transaction (a subscribing processor): a key works, lists
 * and stops working on every node as soon as the command that changed it has returned. Authentication reads
 * one row by hash and never the event store.
 */
@Component
@ProcessingGroup(KeyProjection.NAME)
public class KeyProjection {

    public static final String NAME = "keys";

    /** A key as the hot path reads it, without its last use. */
    private static final RowMapper<KeyView> ROW = (rs, n) -> key(rs, false);
    /** A key as lists show it, with its last use ({@link #WITH_LAST_USE}). */
    private static final RowMapper<KeyView> LISTED = (rs, n) -> key(rs, true);
    private static final String WITH_LAST_USE =
            "SELECT * FROM api_key LEFT JOIN key_last_use USING (key_id) WHERE ";

    private static KeyView key(ResultSet rs, boolean withLastUse) throws SQLException {
        return new KeyView(
                rs.getObject("key_id", UUID.class),
                KeyType.valueOf(rs.getString("type")),
                rs.getString("name"),
                rs.getString("masked_key"),
                rs.getString("project_id"),
                rs.getString("user_id"),
                rs.getString("role") == null ? null : Role.valueOf(rs.getString("role")),
                rs.getString("service"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("expires_at")),
                rs.getBoolean("deleted"),
                rs.getBoolean("disabled"),
                rs.getObject("replaced_by", UUID.class),
                texts(rs.getArray("services")),
                texts(rs.getArray("allowed_cidrs")),
                withLastUse ? instant(rs.getTimestamp("last_used_at")) : null,
                withLastUse ? rs.getString("last_used_by") : null);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;

    public KeyProjection(JdbcClient jdbc, ReadModelWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @EventHandler
    void on(Object event) {
        KeyChanges.apply(event, changes);
    }

    /** Each statement but the operator key's touches one key's row: that key is its scope. */
    private final KeyChanges changes = new KeyChanges() {

        @Override
        public void created(KeyView key, String keyHash) {
            if (key.type() == KeyType.OPERATOR) {
                // An earlier operator key configured again takes the place of its replaced row, found by hash.
                writes.update("DELETE FROM api_key WHERE key_hash = ? AND type = 'OPERATOR' AND deleted", keyHash);
            }
            writes.updateIn(key.keyId(), """
                            INSERT INTO api_key (key_id, key_hash, type, name, masked_key, project_id, user_id, role,
                                                 service, created_at, expires_at, services, allowed_cidrs)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::varchar[], ?::varchar[])""",
                    key.keyId(), keyHash, key.type().name(), key.name(), key.maskedKey(), key.projectId(),
                    key.userId(), key.role() == null ? null : key.role().name(), key.service(),
                    Timestamp.from(key.createdAt()), key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()),
                    arrayLiteral(key.services()), arrayLiteral(key.allowedCidrs()));
        }

        @Override
        public void renamed(UUID keyId, String name) {
            writes.updateIn(keyId, "UPDATE api_key SET name = ? WHERE key_id = ?", name, keyId);
        }

        @Override
        public void disabled(UUID keyId, boolean disabled) {
            writes.updateIn(keyId, "UPDATE api_key SET disabled = ? WHERE key_id = ?", disabled, keyId);
        }

        @Override
        public void rolled(UUID keyId, UUID replacedBy, Instant expiresAt) {
            writes.updateIn(keyId, "UPDATE api_key SET replaced_by = ?, expires_at = ? WHERE key_id = ?", replacedBy,
                    Timestamp.from(expiresAt), keyId);
        }

        @Override
        public void extended(UUID keyId, Instant expiresAt) {
            writes.updateIn(keyId, "UPDATE api_key SET expires_at = ? WHERE key_id = ?", Timestamp.from(expiresAt),
                    keyId);
        }

        @Override
        public void deleted(UUID keyId, String reason) {
            writes.updateIn(keyId, "UPDATE api_key SET deleted = TRUE, deletion_reason = ? WHERE key_id = ?", reason,
                    keyId);
        }
    };

    /**
     * A PostgreSQL array literal of plain values (service names, canonical networks: no quotes, commas or braces),
     * so that the batched writes need no driver-specific array objects.
     */
    private static String arrayLiteral(List<String> values) {
        return values == null ? null : "{" + String.join(",", values) + "}";
    }

    /** The key with this SHA-256 hash, deleted or not: the one read on every authenticated request. */
    public Optional<KeyView> findByHash(String keyHash) {
        return jdbc.sql("SELECT * FROM api_key WHERE key_hash = ?").param(keyHash).query(ROW).optional();
    }

    /** The key, also when deleted. */
    public Optional<KeyView> find(UUID keyId) {
        return jdbc.sql(WITH_LAST_USE + "key_id = ?").param(keyId).query(LISTED).optional();
    }

    public Optional<KeyView> findLive(UUID keyId) {
        return jdbc.sql(WITH_LAST_USE + "key_id = ? AND NOT deleted").param(keyId).query(LISTED).optional();
    }

    /** How many keys of the type work at {@code now}: neither deleted, nor disabled, nor expired. */
    public long activeKeys(KeyType type, Instant now) {
        return jdbc.sql("""
                        SELECT count(*) FROM api_key
                        WHERE type = ? AND NOT deleted AND NOT disabled AND (expires_at IS NULL OR expires_at > ?)""")
                .params(type.name(), Timestamp.from(now))
                .query(Long.class)
                .single();
    }

    public boolean hasOperatorKey() {
        return jdbc.sql("SELECT count(*) FROM api_key WHERE type = 'OPERATOR' AND NOT deleted")
                .query(Long.class).single() > 0;
    }

    public List<KeyView> serviceKeys() {
        return jdbc.sql("SELECT * FROM api_key WHERE type = 'SERVICE' AND NOT deleted ORDER BY created_at, key_id")
                .query(ROW).list();
    }

    /**
     * One page of a project's live member keys, oldest first.
     *
     * @param userId             only this member's keys, or null for all
     * @param status             only keys in this status at {@code now}, or null for all
     * @param expiringWithinDays only active keys that expire within this many days, or null
     * @param idleDays           only keys not used for this many days (a key never used counts from its creation),
     *                           or null
     * @param cursor             where the page starts (from a previous page), or null for the first page
     */
    public KeyPage memberKeys(String projectId, String userId, KeyStatus status, Integer expiringWithinDays,
                              Integer idleDays, Instant now, int limit, String cursor) {
        StringBuilder sql = new StringBuilder(WITH_LAST_USE + "type = 'MEMBER' AND NOT deleted AND project_id = :projectId");
        Map<String, Object> params = new HashMap<>();
        params.put("projectId", projectId);
        params.put("now", Timestamp.from(now));
        if (userId != null) {
            sql.append(" AND user_id = :userId");
            params.put("userId", userId);
        }
        if (status != null) {
            sql.append(switch (status) {
                case ACTIVE -> " AND expires_at > :now AND NOT disabled";
                case DISABLED -> " AND expires_at > :now AND disabled";
                case EXPIRED -> " AND expires_at <= :now";
            });
        }
        if (expiringWithinDays != null) {
            sql.append(" AND expires_at > :now AND NOT disabled AND expires_at <= :expiringBy");
            params.put("expiringBy", Timestamp.from(now.plus(Duration.ofDays(expiringWithinDays))));
        }
        if (idleDays != null) {
            sql.append(" AND COALESCE(last_used_at, created_at) <= :idleSince");
            params.put("idleSince", Timestamp.from(now.minus(Duration.ofDays(idleDays))));
        }
        if (cursor != null) {
            KeyCursor after = KeyCursor.decode(cursor);
            sql.append(" AND (created_at, key_id) > (:afterCreatedAt, :afterKeyId)");
            params.put("afterCreatedAt", Timestamp.from(after.createdAt()));
            params.put("afterKeyId", after.keyId());
        }
        sql.append(" ORDER BY created_at, key_id LIMIT :limit");
        params.put("limit", limit + 1);
        List<KeyView> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(LISTED).list());
        String next = null;
        if (rows.size() > limit) {
            rows.remove(limit);
            next = KeyCursor.after(rows.get(limit - 1)).encode();
        }
        return new KeyPage(rows, next);
    }
}
