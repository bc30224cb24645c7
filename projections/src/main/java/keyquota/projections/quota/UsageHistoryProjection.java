package keyquota.projections.quota;

import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Usage and quota per hour, for the project and each member (table usage_hour). Written by a streaming processor
 * of its own, off the command's path: on a busy project its upsert, which rewrites the same rows again and again,
 * was the largest part of the quota's one decision at a time. A reader waits for the processor to pass the events
 * committed before it ({@code UsageReports}), so a client that allocated still sees it in the history it reads
 * next. Its handlers only write: the statement itself reads the previous hour's end state, so a rebuild can batch
 * them.
 */
@Component
@ProcessingGroup(UsageHistoryProjection.NAME)
public class UsageHistoryProjection {

    public static final String NAME = "usage_history";

    /** The user_id of the project's own rows: no user id is empty. */
    static final String PROJECT = "";

    /**
     * One statement per event for all its rows. A null usage or quota keeps the one in force. The change counts at
     * its event's time, or at the row's last change if a clock stepped back, so each series only moves forward.
     * The values the INSERT computes from the latest row are those of a new hour; when the hour already has its
     * row (the conflict), that row is the latest one, and it adds the time since its last change to its integral.
     * It changes nothing unless the event's position (%s: a parameter, or found by the event's identifier) is past
     * the last one applied to the project's service: after a rebuild's swap the live processor may hand this
     * statement events the rebuild has applied already.
     */
    private static final String CHANGE = """
            WITH advanced AS (
                INSERT INTO usage_history_position AS p (project_id, service, position)
                SELECT ?, ?, (%s)
                ON CONFLICT (project_id, service) DO UPDATE SET position = EXCLUDED.position
                WHERE p.position < EXCLUDED.position
                RETURNING 1)
            INSERT INTO usage_hour AS h (project_id, service, user_id, resource, hour, usage_end, peak, quota_end,
                                         usage_seconds, changed_at)
            SELECT ?, ?, given.user_id, given.resource, date_trunc('hour', at.at, 'UTC'),
                   coalesce(given.usage, last.usage_end, 0),
                   greatest(coalesce(last.usage_end, 0), coalesce(given.usage, last.usage_end, 0)),
                   coalesce(given.quota, last.quota_end, CASE WHEN given.user_id = '' THEN 0 ELSE -1 END),
                   coalesce(last.usage_end, 0) * extract(epoch FROM at.at - date_trunc('hour', at.at, 'UTC')),
                   at.at
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) AS given(user_id, resource, usage, quota)
            LEFT JOIN LATERAL (
                SELECT usage_end, quota_end, changed_at FROM usage_hour
                WHERE project_id = ? AND service = ? AND user_id = given.user_id AND resource = given.resource
                ORDER BY hour DESC LIMIT 1) last ON true
            CROSS JOIN LATERAL (SELECT greatest(?::timestamptz, last.changed_at) AS at) at
            WHERE EXISTS (SELECT FROM advanced)
            ON CONFLICT (project_id, service, user_id, resource, hour) DO UPDATE
            SET usage_seconds = h.usage_seconds + h.usage_end * extract(epoch FROM EXCLUDED.changed_at - h.changed_at),
                usage_end = EXCLUDED.usage_end,
                peak = greatest(h.peak, EXCLUDED.usage_end),
                quota_end = EXCLUDED.quota_end,
                changed_at = EXCLUDED.changed_at""";
    /** In a rebuild, where the position is known. */
    private static final String CHANGE_AT_POSITION = CHANGE.formatted("?::bigint");
    /** Live: the event's own place in the store, found in the same statement. */
    private static final String CHANGE_AT_EVENTS_POSITION = CHANGE.formatted(AxonTables.POSITION_OF_EVENT);

    private final ReadModelWrites writes;

    public UsageHistoryProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    /** @param timestamp to the millisecond, as the event store keeps it, so that a rebuild writes the same rows */
    @EventHandler
    void on(Object event, @Timestamp Instant timestamp, EventMessage<?> message) {
        Instant at = timestamp.truncatedTo(ChronoUnit.MILLIS);
        OptionalLong known = writes.eventPosition();
        Object position = known.isPresent() ? (Object) known.getAsLong() : message.getIdentifier();
        String change = known.isPresent() ? CHANGE_AT_POSITION : CHANGE_AT_EVENTS_POSITION;
        QuotaChanges.apply(event, new QuotaChanges() {

            @Override
            public void projectQuota(String projectId, String service, Map<String, Long> quota) {
                Rows rows = new Rows();
                quota.forEach((resource, value) -> rows.add(PROJECT, resource, null, value));
                write(change, position, projectId, service, rows, at);
            }

            @Override
            public void memberQuota(String projectId, String service, String userId, Map<String, Long> quota) {
                Rows rows = new Rows();
                quota.forEach((resource, value) -> rows.add(userId, resource, null, value));
                write(change, position, projectId, service, rows, at);
            }

            @Override
            public void usage(String projectId, String service, String userId, Map<String, Long> memberUsage,
                              Map<String, Long> projectUsage) {
                Rows rows = new Rows();
                memberUsage.forEach((resource, value) -> rows.add(userId, resource, value, null));
                projectUsage.forEach((resource, value) -> rows.add(PROJECT, resource, value, null));
                write(change, position, projectId, service, rows, at);
            }
        });
    }

    /** The rows one event changes, as the statement's parallel arrays. */
    private static final class Rows {

        final List<String> users = new ArrayList<>();
        final List<String> resources = new ArrayList<>();
        final List<Long> usages = new ArrayList<>();
        final List<Long> quotas = new ArrayList<>();

        void add(String userId, String resource, Long usage, Long quota) {
            users.add(userId);
            resources.add(resource);
            usages.add(usage);
            quotas.add(quota);
        }
    }

    /** Every statement writes rows of one project's service: the scope {@link QuotaProjection} uses too. */
    private void write(String change, Object position, String projectId, String service, Rows rows, Instant at) {
        writes.updateIn(List.of(projectId, service), change, projectId, service, position, projectId, service,
                rows.users.toArray(String[]::new), rows.resources.toArray(String[]::new),
                rows.usages.toArray(Long[]::new), rows.quotas.toArray(Long[]::new),
                projectId, service, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    }
}
