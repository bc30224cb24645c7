package keyquota.projections.quota;

import keyquota.domain.Time;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.service.CloudService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Usage history from the usage_hour read model ({@link UsageHistoryProjection}): series of usage, peak and quota
 * per hour or day, and the daily usage report. Hours without a row carry the previous row's end state forward.
 */
@Component
public class UsageHistory {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    /**
     * For each (user, resource) asked: its last row before the range, then its rows in the range. Times and the
     * integral come as integers (epoch seconds, epoch microseconds, resource-microseconds), cheaper to read than
     * timestamps and numerics, and exact all the same.
     */
    private static final String ROWS = """
            SELECT k.user_id, k.resource, h.hour, h.usage_end, h.peak, h.quota_end, h.usage_micros, h.changed_at
            FROM unnest(?::text[], ?::text[]) AS k(user_id, resource)
            CROSS JOIN LATERAL (
                (SELECT %1$s FROM usage_hour
                 WHERE project_id = ? AND service = ? AND user_id = k.user_id AND resource = k.resource AND hour < ?
                 ORDER BY hour DESC LIMIT 1)
                UNION ALL
                (SELECT %1$s FROM usage_hour
                 WHERE project_id = ? AND service = ? AND user_id = k.user_id AND resource = k.resource
                   AND hour >= ? AND hour < ?)) h""".formatted("""
            extract(epoch FROM hour)::bigint AS hour, usage_end, peak, quota_end,
            (usage_seconds * 1000000)::bigint AS usage_micros,
            (extract(epoch FROM changed_at) * 1000000)::bigint AS changed_at""");

    /** The members with a history in the project's service, one index probe each (a loose index scan). */
    private static final String MEMBERS = """
            WITH RECURSIVE member AS (
                (SELECT user_id FROM usage_hour WHERE project_id = ? AND service = ? AND user_id > ''
                 ORDER BY user_id LIMIT 1)
                UNION ALL
                SELECT (SELECT u.user_id FROM usage_hour u
                        WHERE u.project_id = ? AND u.service = ? AND u.user_id > member.user_id
                        ORDER BY u.user_id LIMIT 1)
                FROM member WHERE member.user_id IS NOT NULL)
            SELECT user_id FROM member WHERE user_id IS NOT NULL""";

    private final JdbcClient jdbc;

    public UsageHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public enum Step {
        HOUR(ChronoUnit.HOURS),
        DAY(ChronoUnit.DAYS);

        private final ChronoUnit unit;

        Step(ChronoUnit unit) {
            this.unit = unit;
        }

        /** The start of the UTC-aligned step the instant lies in. */
        public Instant start(Instant at) {
            return at.truncatedTo(unit);
        }

        Instant next(Instant at) {
            return at.plus(1, unit);
        }
    }

    /** Each map holds every resource of the service. */
    public record Point(Instant at, Map<String, Long> usage, Map<String, Long> peak, Map<String, Long> quota) {
    }

    /**
     * @param resourceHours the usage integrated over the day (or, today, up to now), in resource-hours
     * @param quota         the member's own quota at the end of the day (or now), -1 for none
     */
    public record DayRow(LocalDate date, String userId, String resource, long peak, BigDecimal resourceHours,
                         long quota) {
    }

    /**
     * A usage_hour row: the end state of an hour in which something changed.
     *
     * @param usageMicros the usage integrated from the start of the hour to its last change, in resource-microseconds
     * @param changedAt   the last change, in epoch microseconds
     */
    private record Hour(Instant hour, long usageEnd, long peak, long quotaEnd, long usageMicros, long changedAt) {
    }

    /** One (user, resource) series: its state before the range and its hours in it. */
    private static final class Series {

        Hour before;
        final NavigableMap<Instant, Hour> hours = new TreeMap<>();
    }

    /**
     * A point for every step from the start of {@code from}'s step to {@code to} (exclusive), none after now.
     *
     * @param userId the member, or null for the project
     */
    public List<Point> series(String projectId, CloudService service, String userId, Instant from, Instant to,
                              Step step, Instant now) {
        String user = userId == null ? UsageHistoryProjection.PROJECT : userId;
        Instant start = step.start(from);
        Instant until = Time.min(to, step.next(step.start(now)));
        Map<String, Series> byResource = new HashMap<>();
        List<String> users = service.resources().stream().map(resource -> user).toList();
        read(projectId, service, users, service.resources(), start, until)
                .forEach((key, series) -> byResource.put(key.resource(), series));

        List<Instant> steps = new ArrayList<>();
        for (Instant at = start; at.isBefore(to) && !at.isAfter(now); at = step.next(at)) {
            steps.add(at);
        }
        List<Map<String, Long>> usages = maps(steps.size());
        List<Map<String, Long>> peaks = maps(steps.size());
        List<Map<String, Long>> quotas = maps(steps.size());
        long noQuota = userId == null ? 0 : QuotaPolicy.UNLIMITED;
        Instant lastHour = now.truncatedTo(ChronoUnit.HOURS);
        for (String resource : service.resources()) {
            Series series = byResource.getOrDefault(resource, new Series());
            long usage = series.before == null ? 0 : series.before.usageEnd();
            long quota = series.before == null ? noQuota : series.before.quotaEnd();
            for (int i = 0; i < steps.size(); i++) {
                long peak = usage;
                Instant end = step.next(steps.get(i));
                for (Hour hour : series.hours.subMap(steps.get(i), end).values()) {
                    if (hour.hour().isAfter(lastHour)) {
                        break;
                    }
                    peak = Math.max(peak, hour.peak());
                    usage = hour.usageEnd();
                    quota = hour.quotaEnd();
                }
                usages.get(i).put(resource, usage);
                peaks.get(i).put(resource, peak);
                quotas.get(i).put(resource, quota);
            }
        }
        List<Point> points = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            points.add(new Point(steps.get(i), usages.get(i), peaks.get(i), quotas.get(i)));
        }
        return points;
    }

    /**
     * A row per UTC day from {@code from} to {@code to} (exclusive, none after today), member and resource that
     * had usage or a quota of their own that day; ordered by day, member, then the service's resource order.
     */
    public List<DayRow> dailyReport(String projectId, CloudService service, LocalDate from, LocalDate to,
                                    Instant now) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant until = Time.min(to.atStartOfDay(ZoneOffset.UTC).toInstant(), now);
        List<String> members = jdbc.sql(MEMBERS)
                .params(projectId, service.service(), projectId, service.service())
                .query(String.class)
                .list();
        List<String> users = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        for (String member : members) {
            for (String resource : service.resources()) {
                users.add(member);
                resources.add(resource);
            }
        }
        Map<Key, Series> read = read(projectId, service, users, resources, start,
                Time.min(until, now.truncatedTo(ChronoUnit.HOURS).plus(HOUR)));

        List<DayRow> rows = new ArrayList<>();
        Map<Key, long[]> state = new HashMap<>(); // usage and quota carried into the next day
        for (Instant day = start; day.isBefore(until); day = day.plus(1, ChronoUnit.DAYS)) {
            LocalDate date = LocalDate.ofInstant(day, ZoneOffset.UTC);
            Instant dayEnd = Time.min(day.plus(1, ChronoUnit.DAYS), now);
            for (int i = 0; i < users.size(); i++) {
                Key key = new Key(users.get(i), resources.get(i));
                Series series = read.getOrDefault(key, new Series());
                long[] carried = state.computeIfAbsent(key, k -> series.before == null
                        ? new long[]{0, QuotaPolicy.UNLIMITED}
                        : new long[]{series.before.usageEnd(), series.before.quotaEnd()});
                long peak = carried[0];
                boolean hadQuota = carried[1] != QuotaPolicy.UNLIMITED;
                long integral = 0;
                for (Instant hour = day; hour.isBefore(dayEnd); hour = hour.plus(HOUR)) {
                    long hourEnd = micros(Time.min(hour.plus(HOUR), dayEnd));
                    Hour changed = series.hours.get(hour);
                    if (changed == null) {
                        integral += integral(carried[0], micros(hour), hourEnd);
                        continue;
                    }
                    integral += changed.usageMicros() + integral(changed.usageEnd(), changed.changedAt(), hourEnd);
                    peak = Math.max(peak, changed.peak());
                    carried[0] = changed.usageEnd();
                    carried[1] = changed.quotaEnd();
                    hadQuota |= carried[1] != QuotaPolicy.UNLIMITED;
                }
                if (peak > 0 || hadQuota) {
                    rows.add(new DayRow(date, key.userId(), key.resource(), peak,
                            BigDecimal.valueOf(integral, 6).divide(SECONDS_PER_HOUR, 6, RoundingMode.HALF_UP),
                            carried[1]));
                }
            }
        }
        return rows;
    }

    private record Key(String userId, String resource) {
    }

    /** The (user, resource) series: each one's last row before {@code from}, and its rows up to {@code until}. */
    private Map<Key, Series> read(String projectId, CloudService service, List<String> users,
                                  List<String> resources, Instant from, Instant until) {
        Map<Key, Series> read = new HashMap<>();
        OffsetDateTime start = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
        jdbc.sql(ROWS)
                .params(users.toArray(String[]::new), resources.toArray(String[]::new),
                        projectId, service.service(), start,
                        projectId, service.service(), start, OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .query(rs -> {
                    Series series = read.computeIfAbsent(new Key(rs.getString("user_id"), rs.getString("resource")),
                            key -> new Series());
                    Hour hour = hour(rs);
                    if (hour.hour().isBefore(from)) {
                        series.before = hour;
                    } else {
                        series.hours.put(hour.hour(), hour);
                    }
                });
        return read;
    }

    private static Hour hour(ResultSet rs) throws SQLException {
        return new Hour(Instant.ofEpochSecond(rs.getLong("hour")), rs.getLong("usage_end"), rs.getLong("peak"),
                rs.getLong("quota_end"), rs.getLong("usage_micros"), rs.getLong("changed_at"));
    }

    /**
     * A constant usage held from one time to another (none if the second is not later), in resource-microseconds:
     * a million of a resource for a day is under a hundredth of a long's range.
     */
    private static long integral(long usage, long fromMicros, long toMicros) {
        return toMicros <= fromMicros ? 0 : Math.multiplyExact(usage, toMicros - fromMicros);
    }

    private static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    private static List<Map<String, Long>> maps(int count) {
        List<Map<String, Long>> maps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            maps.add(new LinkedHashMap<>());
        }
        return maps;
    }
}
