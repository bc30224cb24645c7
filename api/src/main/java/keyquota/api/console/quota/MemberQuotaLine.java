package keyquota.api.console.quota;

import keyquota.domain.Role;

import java.util.List;

/**
 * A member's row on the quota page.
 *
 * @param role null for a former member, shown while they still have usage; their quota cannot be set
 */
public record MemberQuotaLine(String userId, Role role, boolean overQuota, List<QuotaAmount> amounts) {
}
