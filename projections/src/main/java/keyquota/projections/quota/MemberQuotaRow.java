package keyquota.projections.quota;

import keyquota.domain.membership.Role;

import java.util.Map;

/**
 * A member's quota and usage of one service.
 *
 * @param role      null for a former member, shown while they still have usage
 * @param overQuota usage above a quota that was lowered with force
 */
public record MemberQuotaRow(String userId, Role role, Map<String, Long> quota, Map<String, Long> usage,
                             boolean overQuota) {
}
