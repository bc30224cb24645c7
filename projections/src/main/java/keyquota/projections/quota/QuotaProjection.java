package keyquota.projections.quota;

import keyquota.domain.Role;
import keyquota.domain.quota.AlertThresholds;
import keyquota.domain.quota.AlertThresholdsSet;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.service.CloudService;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import keyquota.infrastructure.readmodel.ReadModelWrites;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quota and usage per project, service and member (TWCC "資源配額管理"). Written in the command's transaction, so a
 * client that set a quota or allocated sees its change in the next read.
 */
@Component
@ProcessingGroup(QuotaProjection.NAME)
public class QuotaProjection {

    public static final String NAME = "quotas";

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;

    public QuotaProjection(JdbcClient jdbc, ReadModelWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @EventHandler
    void on(Object event) {
        QuotaChanges.apply(event, changes);
    }

    /** Alert thresholds are not part of the quota view (nor of it as of a past time), so not a {@link QuotaChanges}. */
    @EventHandler
    void on(AlertThresholdsSet event) {
        writes.updateIn(scope(event.projectId(), event.service()), """
                        INSERT INTO quota_alert (project_id, service, thresholds) VALUES (?, ?, ?)
                        ON CONFLICT (project_id, service) DO UPDATE SET thresholds = EXCLUDED.thresholds""",
                event.projectId(), event.service(), event.newThresholds().toArray(Integer[]::new));
    }

    /** The project's alert thresholds of one service, in ascending order. */
    public List<Integer> alertThresholds(String projectId, String service) {
        return jdbc.sql("SELECT thresholds FROM quota_alert WHERE project_id = ? AND service = ?")
                .params(projectId, service)
                .query((rs, n) -> Arrays.asList((Integer[]) rs.getArray("thresholds").getArray()))
                .optional()
                .orElse(AlertThresholds.DEFAULT.percentages());
    }

    private final QuotaChanges changes = new QuotaChanges() {

        @Override
        public void projectQuota(String projectId, String service, Map<String, Long> quota) {
            writes.updateIn(scope(projectId, service), """
                            INSERT INTO quota_project (project_id, service, resource, quota)
                            SELECT ?, ?, resource, quota
                            FROM unnest(?::text[], ?::bigint[]) AS given(resource, quota)
                            ON CONFLICT (project_id, service, resource) DO UPDATE SET quota = EXCLUDED.quota""",
                    projectId, service, resources(quota), values(quota));
        }

        @Override
        public void memberQuota(String projectId, String service, String userId, Map<String, Long> quota) {
            writes.updateIn(scope(projectId, service), """
                            INSERT INTO quota_member (project_id, service, user_id, resource, quota)
                            SELECT ?, ?, ?, resource, quota
                            FROM unnest(?::text[], ?::bigint[]) AS given(resource, quota)
                            ON CONFLICT (project_id, service, user_id, resource)
                            DO UPDATE SET quota = EXCLUDED.quota""",
                    projectId, service, userId, resources(quota), values(quota));
        }

        /** One statement for the member's and the project's usage: a rebuild sends many of them as one batch. */
        @Override
        public void usage(String projectId, String service, String userId, Map<String, Long> memberUsage,
                          Map<String, Long> projectUsage) {
            writes.updateIn(scope(projectId, service), """
                            WITH member AS (
                                INSERT INTO quota_member (project_id, service, user_id, resource, usage)
                                SELECT ?, ?, ?, resource, usage
                                FROM unnest(?::text[], ?::bigint[]) AS given(resource, usage)
                                ON CONFLICT (project_id, service, user_id, resource)
                                DO UPDATE SET usage = EXCLUDED.usage)
                            INSERT INTO quota_project (project_id, service, resource, usage)
                            SELECT ?, ?, resource, usage FROM unnest(?::text[], ?::bigint[]) AS given(resource, usage)
                            ON CONFLICT (project_id, service, resource) DO UPDATE SET usage = EXCLUDED.usage""",
                    projectId, service, userId, resources(memberUsage), values(memberUsage),
                    projectId, service, resources(projectUsage), values(projectUsage));
        }
    };

    /** Every statement writes rows of one project's quota of one service, members included. */
    private static List<String> scope(String projectId, String service) {
        return List.of(projectId, service);
    }

    private static String[] resources(Map<String, Long> values) {
        return values.keySet().toArray(String[]::new);
    }

    /** In the order of {@link #resources}: a map's key set and values iterate alike. */
    private static Long[] values(Map<String, Long> values) {
        return values.values().toArray(Long[]::new);
    }

    /** The project's totals of one service. */
    public QuotaUsage projectTotals(String projectId, CloudService service) {
        Map<String, Long> quota = defaults(service, 0);
        Map<String, Long> usage = defaults(service, 0);
        jdbc.sql("SELECT resource, quota, usage FROM quota_project WHERE project_id = ? AND service = ?")
                .params(projectId, service.service())
                .query(rs -> {
                    putIfKnown(quota, rs.getString("resource"), rs.getLong("quota"));
                    putIfKnown(usage, rs.getString("resource"), rs.getLong("usage"));
                });
        return new QuotaUsage(quota, usage);
    }

    /**
     * The project's totals and a row for every current member, and for every former member who still has
     * usage, ordered by user id.
     */
    public QuotaView view(String projectId, CloudService service) {
        Map<String, Role> members = new TreeMap<>();
        Map<String, Map<String, Long>> quotas = new TreeMap<>();
        Map<String, Map<String, Long>> usages = new TreeMap<>();
        jdbc.sql("SELECT user_id, role FROM project_member WHERE project_id = ?")
                .param(projectId)
                .query(rs -> {
                    members.put(rs.getString("user_id"), Role.valueOf(rs.getString("role")));
                });
        jdbc.sql("SELECT user_id, resource, quota, usage FROM quota_member WHERE project_id = ? AND service = ?")
                .params(projectId, service.service())
                .query(rs -> {
                    String userId = rs.getString("user_id");
                    putIfKnown(quotas.computeIfAbsent(userId, u -> defaults(service, QuotaPolicy.UNLIMITED)),
                            rs.getString("resource"), rs.getLong("quota"));
                    putIfKnown(usages.computeIfAbsent(userId, u -> defaults(service, 0)),
                            rs.getString("resource"), rs.getLong("usage"));
                });
        return QuotaView.of(projectId, service, projectTotals(projectId, service), members, quotas, usages);
    }

    static Map<String, Long> defaults(CloudService service, long value) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        service.resources().forEach(resource -> amounts.put(resource, value));
        return amounts;
    }

    /** A resource since removed from the catalog is not shown. */
    private static void putIfKnown(Map<String, Long> amounts, String resource, long value) {
        amounts.computeIfPresent(resource, (r, old) -> value);
    }
}
