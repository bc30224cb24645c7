package keyquota.api.bench;

import keyquota.api.support.node.NodeDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Events written straight into the event store, copied inside PostgreSQL from real ones the service wrote for
 * commands sent over HTTP: for a history or a store too long to build through the API in a benchmark's time.
 * Each copy is an event the service could have written: its aggregate's sequence continues without a gap, what
 * must be unique (event ids, key ids and hashes, project and user ids, allocation ids) is, and each aggregate's
 * events come in the order they would have happened. The read models written in the command's transaction do
 * not see the copies; the audit processor reads them like any other event, and a replay rebuilds every read
 * model from them.
 */
final class CopiedEvents {

    static final String KEY_CREATED = "keyquota.domain.key.KeyCreated";
    static final String KEY_DELETED = "keyquota.domain.key.KeyDeleted";

    /**
     * What a template project's events are copied into, block by block: a project with a CCS quota and
     * {@value #MEMBERS} members; each member creates, extends and deletes {@value #KEYS} keys and allocates and
     * releases {@value #ALLOCATIONS} times.
     */
    static final int MEMBERS = 10;
    static final int KEYS = 3;
    static final int ALLOCATIONS = 3;
    /** A block: ProjectCreated, ProjectQuotaSet, and per member MemberJoined and its key and allocation events. */
    static final int EVENTS_PER_BLOCK = 2 + MEMBERS * (1 + 3 * KEYS + 2 * ALLOCATIONS);

    /** Only identifiers go into the statements as text; anything else would be a mistake of the benchmark. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9:/._-]+");

    private final NodeDatabase database;

    CopiedEvents(NodeDatabase database) {
        this.database = database;
    }

    /**
     * Appends {@code cycles} pairs of KeyCreated and KeyDeleted to a membership, copies of the pair of one of its
     * keys, each with a key id and hash of its own. Returns the membership's number of events after them.
     */
    long appendKeyCycles(String membershipId, String templateKeyId, int cycles) throws SQLException {
        String template = """
                SELECT CASE payload_type WHEN '%s' THEN 0 ELSE 1 END AS kind, e.*
                FROM domain_event_entry e
                WHERE aggregate_identifier = %s AND payload_type IN ('%s', '%s')
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'keyId' = %s"""
                .formatted(KEY_CREATED, literal(membershipId), KEY_CREATED, KEY_DELETED, literal(templateKeyId));
        String templateHash = single("SELECT convert_from(payload, 'UTF8')::jsonb ->> 'keyHash' FROM (" + template
                + ") t WHERE kind = 0");
        execute("""
                WITH t AS (%s),
                next AS (SELECT max(sequence_number) + 1 AS first FROM domain_event_entry
                         WHERE aggregate_identifier = %s)
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT gen_random_uuid()::text, t.aggregate_identifier, next.first + 2 * c + t.kind, t.type,
                       t.time_stamp, t.payload_type, t.payload_revision,
                       convert_to(replace(replace(convert_from(t.payload, 'UTF8'),
                                                  %s, md5(%s || c)::uuid::text),
                                          %s, md5(%s || c) || md5(%s || c)), 'UTF8'),
                       t.meta_data
                FROM generate_series(0, %d) c CROSS JOIN t CROSS JOIN next
                ORDER BY c, t.kind"""
                .formatted(template, literal(membershipId), literal(templateKeyId), literal(membershipId + "/k"),
                        literal(requireIdentifier(templateHash)), literal(membershipId + "/h"),
                        literal(membershipId + "/H"), cycles - 1));
        return count(membershipId);
    }

    /**
     * The events of a template project, in the order a block needs them: ProjectCreated, ProjectQuotaSet,
     * MemberJoined, KeyCreated, KeyExtended, KeyDeleted, UsageAllocated, UsageReleased; and the identifiers in
     * them that each copy replaces.
     */
    record Template(List<String> eventIds, String projectId, String userId, String keyId, String keyHash,
                    String allocationId) {
    }

    /** Reads the template's events: those of its project, member, key and allocation. */
    Template template(String projectId, String userId, String keyId, String allocationId) throws SQLException {
        String membership = projectId + "/" + userId;
        String quota = projectId + ":CCS";
        List<String> ids = List.of(
                eventId(projectId, "keyquota.domain.project.ProjectCreated", null, null),
                eventId(quota, "keyquota.domain.quota.ProjectQuotaSet", null, null),
                eventId(membership, "keyquota.domain.membership.MemberJoined", null, null),
                eventId(membership, KEY_CREATED, "keyId", keyId),
                eventId(membership, "keyquota.domain.key.KeyExtended", "keyId", keyId),
                eventId(membership, KEY_DELETED, "keyId", keyId),
                eventId(quota, "keyquota.domain.quota.UsageAllocated", "allocationId", allocationId),
                eventId(quota, "keyquota.domain.quota.UsageReleased", "allocationId", allocationId));
        String hash = single("SELECT convert_from(payload, 'UTF8')::jsonb ->> 'keyHash' FROM domain_event_entry"
                + " WHERE event_identifier = " + literal(ids.get(3)));
        return new Template(ids, projectId, userId, keyId, requireIdentifier(hash), allocationId);
    }

    /**
     * Appends blocks {@code from} (inclusive) to {@code to} (exclusive), each a copy of the template with a
     * project {@code RP<block>} and users {@code u<member>}, in one statement and one commit.
     */
    void appendBlocks(Template template, int from, int to) throws SQLException {
        StringBuilder kinds = new StringBuilder();
        for (int kind = 0; kind < template.eventIds().size(); kind++) {
            kinds.append(kind == 0 ? "" : ", ").append('(').append(kind).append(", ")
                    .append(literal(template.eventIds().get(kind))).append(')');
        }
        String blocks = "generate_series(%d, %d) b".formatted(from, to - 1);
        String members = "generate_series(0, %d) m".formatted(MEMBERS - 1);
        // (block, member, order within the member, template kind, sequence number, key or allocation number)
        execute("""
                WITH template (kind, event_identifier) AS (VALUES %s),
                t AS (SELECT template.kind, e.* FROM template JOIN domain_event_entry e USING (event_identifier)),
                copies (b, m, i, kind, seq, n) AS (
                    SELECT b, -1, i, i, 0, 0 FROM %s, generate_series(0, 1) i
                    UNION ALL
                    SELECT b, m, 0, 2, 0, 0 FROM %s, %s
                    UNION ALL
                    SELECT b, m, 1 + 3 * k + j, 3 + j, 1 + 3 * k + j, k
                    FROM %s, %s, generate_series(0, %d) k, generate_series(0, 2) j
                    UNION ALL
                    SELECT b, m, 1 + 3 * %d + 2 * a + j, 6 + j, 1 + 2 * (m * %d + a) + j, a
                    FROM %s, %s, generate_series(0, %d) a, generate_series(0, 1) j)
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT gen_random_uuid()::text,
                       replace(replace(t.aggregate_identifier, %s, p.project_id), %s, p.user_id),
                       c.seq, t.type, t.time_stamp, t.payload_type, t.payload_revision,
                       convert_to(replace(replace(replace(replace(replace(convert_from(t.payload, 'UTF8'),
                           %s, p.project_id), %s, p.user_id), %s, p.key_id), %s, p.key_hash),
                           %s, p.allocation_id), 'UTF8'),
                       t.meta_data
                FROM copies c JOIN t USING (kind)
                CROSS JOIN LATERAL (SELECT 'RP' || c.b AS project_id, 'u' || c.m AS user_id,
                                           md5('k' || c.b || '/' || c.m || '/' || c.n)::uuid::text AS key_id,
                                           md5('h' || c.b || '/' || c.m || '/' || c.n)
                                               || md5('H' || c.b || '/' || c.m || '/' || c.n) AS key_hash,
                                           'a' || c.m || '-' || c.n AS allocation_id) p
                ORDER BY c.b, c.m, c.i"""
                .formatted(kinds, blocks, blocks, members, blocks, members, KEYS - 1, KEYS, ALLOCATIONS, blocks,
                        members, ALLOCATIONS - 1,
                        literal(template.projectId()), literal(template.userId()),
                        literal(template.projectId()), literal(template.userId()), literal(template.keyId()),
                        literal(template.keyHash()), literal(template.allocationId())));
    }

    /** The events of one aggregate. */
    long count(String aggregateId) {
        return Long.parseLong(database.column(
                "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", aggregateId).get(0));
    }

    /**
     * Brings the table's statistics and visibility up to date, as autovacuum would long since have done for a
     * store that grew over time; else the first reader after a bulk append pays for it.
     */
    void vacuum() throws SQLException {
        execute("VACUUM ANALYZE domain_event_entry");
    }

    /** The one event of the type on the aggregate, or the one whose payload has the field at the value. */
    private String eventId(String aggregateId, String payloadType, String field, String value) throws SQLException {
        String where = field == null ? ""
                : " AND convert_from(payload, 'UTF8')::jsonb ->> " + literal(field) + " = " + literal(value);
        return single("SELECT event_identifier FROM domain_event_entry WHERE aggregate_identifier = "
                + literal(aggregateId) + " AND payload_type = " + literal(payloadType) + where);
    }

    private String single(String sql) throws SQLException {
        List<String> values = database.column(sql);
        if (values.size() != 1) {
            throw new IllegalStateException(values.size() + " rows, not one, for: " + sql);
        }
        return values.get(0);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String literal(String value) {
        return "'" + requireIdentifier(value) + "'";
    }

    private static String requireIdentifier(String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException("not an identifier: " + value);
        }
        return value;
    }
}
