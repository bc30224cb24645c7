package keyquota.projections.quota;

import keyquota.domain.Role;
import keyquota.domain.quota.QuotaPolicy;

import java.util.Map;

/**
 * A member's quota and usage of one service.
 *
 * @param role      null for a former member, shown while they still have usage
 * @param overQuota usage above a quota that was lowered with force
 */
public record MemberQuotaRow(String userId, Role role, Map<String, Long> quota, Map<String, Long> usage,
                             boolean overQuota) {

    static MemberQuotaRow of(String userId, Role role, Map<String, Long> quota, Map<String, Long> usage) {
        boolean overQuota = quota.entrySet().stream()
                .anyMatch(entry -> QuotaPolicy.isBelow(entry.getValue(), usage.getOrDefault(entry.getKey(), 0L)));
        return new MemberQuotaRow(userId, role, quota, usage, overQuota);
    }

    /** The row as it would be with this quota (a dry run's answer). */
    public MemberQuotaRow withQuota(Map<String, Long> newQuota) {
        return of(userId, role, newQuota, usage);
    }
}
