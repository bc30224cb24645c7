package keyquota.infrastructure.eventstore;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every query on Axon's tables (events, tokens, dead letters) outside Axon itself, and the token format: a change
 * of Axon's schema or of its token JSON is made here and nowhere else. {@link AxonStorageConfiguration} maps the
 * same tables for Axon.
 */
@Component
public class AxonTables {

    /**
     * The global index of the event with the identifier given as its one parameter, as a subquery (a row named
     * {@code position}) that a statement can join in the same round trip.
     */
    public static final String POSITION_OF_EVENT =
            "SELECT global_index AS position FROM domain_event_entry WHERE event_identifier = ?";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    public AxonTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- events

    /** The highest global index in the store (0 when it is empty). */
    public long head() {
        return jdbc.sql("SELECT coalesce(max(global_index), 0) FROM domain_event_entry").query(Long.class).single();
    }

    /** The newest global index handed out, committed or not (0 before the first). */
    long newestIndexHandedOut() {
        return jdbc.sql("""
                        SELECT CASE WHEN is_called THEN last_value ELSE 0 END
                        FROM domain_event_entry_global_index_seq""")
                .query(Long.class)
                .single();
    }

    /** The transactions now writing events: each holds the event table's write lock from its first insert on. */
    List<String> eventWriters() {
        return jdbc.sql("""
                        SELECT virtualtransaction FROM pg_locks
                        WHERE locktype = 'relation' AND relation = CAST('domain_event_entry' AS regclass)
                          AND mode = 'RowExclusiveLock'
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
                .query(String.class)
                .list();
    }

    /** The lowest global index of a stored event up to {@code upTo} that is above {@code above} or in {@code at}. */
    Optional<Long> firstEvent(long upTo, long above, Set<Long> at) {
        return jdbc.sql("""
                        SELECT global_index FROM domain_event_entry
                        WHERE global_index <= ? AND (global_index > ? OR global_index = ANY(?))
                        ORDER BY global_index LIMIT 1""")
                .params(upTo, above, at.toArray(Long[]::new))
                .query(Long.class)
                .optional();
    }

    /**
     * The events above a position: how many, and when the lowest of them was stored (null when there is none).
     *
     * @param oldest the time stamp of the event with the lowest global index above the position
     */
    public record Backlog(long events, Instant oldest) {
    }

    /** The events above the position; counts them, so it costs as much as the backlog is long. */
    public Backlog backlogAbove(long position) {
        return jdbc.sql("""
                        SELECT count(*) AS events,
                               (SELECT time_stamp FROM domain_event_entry WHERE global_index > :position
                                ORDER BY global_index LIMIT 1) AS oldest
                        FROM domain_event_entry WHERE global_index > :position""")
                .param("position", position)
                .query((rs, n) -> new Backlog(rs.getLong("events"),
                        rs.getString("oldest") == null ? null : Instant.parse(rs.getString("oldest"))))
                .single();
    }

    /** Every aggregate whose identifier starts with the prefix; scans the store, so only for rare queries. */
    public List<String> aggregatesStartingWith(String prefix) {
        return jdbc.sql("""
                        SELECT DISTINCT aggregate_identifier FROM domain_event_entry
                        WHERE starts_with(aggregate_identifier, ?)""")
                .param(prefix)
                .query(String.class)
                .list();
    }

    // ---- tokens

    /**
     * One segment's progress: it has handled every event up to {@code index} except those at {@code gaps},
     * positions it has not seen an event at (yet, or ever: a gap may be a transaction that rolled back).
     */
    public record Progress(long index, Set<Long> gaps) {
    }

    /**
     * The progress of each of the processor's segments (none handled yet: 0), as every node sees it; empty before
     * it has claimed any.
     */
    public List<Progress> progress(String processor) {
        return jdbc.sql("SELECT convert_from(token, 'UTF8') FROM token_entry WHERE processor_name = ?")
                .param(processor)
                .query(String.class)
                .list().stream()
                .map(token -> token == null ? new Progress(0, Set.of()) : progress(JSON.readTree(token)))
                .toList();
    }

    /** A gap-aware token's progress (Axon keeps tokens as JSON); a replay token's current one. */
    private static Progress progress(JsonNode token) {
        if (token.has("index")) {
            return new Progress(token.get("index").asLong(),
                    token.path("gaps").valueStream().map(JsonNode::asLong).collect(Collectors.toSet()));
        }
        JsonNode current = token.path("currentToken");
        return current.isMissingNode() ? new Progress(0, Set.of()) : progress(current);
    }

    // ---- dead letters

    /** @param cause the failure's type and message, as the handler raised it */
    public record DeadLetter(String processingGroup, String eventIdentifier, String eventType,
                             String aggregateIdentifier, Long sequenceNumber, String causeType, String cause,
                             Instant enqueuedAt, Instant lastTouched) {
    }

    /** Every parked event, by processing group and then in the order of its sequence. */
    public List<DeadLetter> deadLetters() {
        return jdbc.sql("""
                        SELECT processing_group, event_identifier, payload_type, aggregate_identifier,
                               sequence_number, cause_type, cause_message, enqueued_at, last_touched
                        FROM dead_letter_entry ORDER BY processing_group, sequence_identifier, sequence_index""")
                .query((rs, n) -> new DeadLetter(rs.getString("processing_group"), rs.getString("event_identifier"),
                        rs.getString("payload_type"), rs.getString("aggregate_identifier"),
                        rs.getObject("sequence_number", Long.class), rs.getString("cause_type"),
                        rs.getString("cause_message"), Instant.parse(rs.getString("enqueued_at")),
                        rs.getString("last_touched") == null ? null : Instant.parse(rs.getString("last_touched"))))
                .list();
    }

    /** The processing groups with parked events. */
    public List<String> deadLetterGroups() {
        return jdbc.sql("SELECT DISTINCT processing_group FROM dead_letter_entry").query(String.class).list();
    }

    /** How many sequences of the group have parked events. */
    public int deadLetterSequences(String group) {
        return jdbc.sql("SELECT count(DISTINCT sequence_identifier) FROM dead_letter_entry WHERE processing_group = ?")
                .param(group).query(Integer.class).single();
    }

    /** How many events of the group are parked. */
    public int deadLetterCount(String group) {
        return jdbc.sql("SELECT count(*) FROM dead_letter_entry WHERE processing_group = ?")
                .param(group).query(Integer.class).single();
    }

    /** How many events are parked, in every group. */
    public int deadLetterCount() {
        return jdbc.sql("SELECT count(*) FROM dead_letter_entry").query(Integer.class).single();
    }
}
