package keyquota.projections.quota;

import keyquota.domain.Role;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.service.CloudService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A project's quota and usage of one service, with a row per member. */
public record QuotaView(String projectId, String service, QuotaUsage project, List<MemberQuotaRow> members) {

    /**
     * The view with a row for every member, and for every former member who still has usage, ordered by user
     * id; members without a quota or usage of their own show -1 and 0.
     *
     * @param members the current members and their roles
     */
    static QuotaView of(String projectId, CloudService service, QuotaUsage project, Map<String, Role> members,
                        Map<String, Map<String, Long>> quotas, Map<String, Map<String, Long>> usages) {
        Map<String, Role> everyone = new TreeMap<>(members);
        usages.forEach((userId, usage) -> {
            if (!members.containsKey(userId) && usage.values().stream().anyMatch(amount -> amount > 0)) {
                everyone.put(userId, null);
            }
        });
        List<MemberQuotaRow> rows = new ArrayList<>();
        everyone.forEach((userId, role) -> {
            Map<String, Long> quota = QuotaProjection.defaults(service, QuotaPolicy.UNLIMITED);
            Map<String, Long> ownQuota = quotas.getOrDefault(userId, Map.of());
            quota.replaceAll((resource, unlimited) -> ownQuota.getOrDefault(resource, unlimited));
            Map<String, Long> usage = QuotaProjection.defaults(service, 0);
            Map<String, Long> ownUsage = usages.getOrDefault(userId, Map.of());
            usage.replaceAll((resource, none) -> ownUsage.getOrDefault(resource, none));
            rows.add(MemberQuotaRow.of(userId, role, quota, usage));
        });
        return new QuotaView(projectId, service.service(), project, rows);
    }
}
