package keyquota.domain.membership;

import keyquota.domain.Role;

public record MemberRoleChanged(String projectId, String userId, Role oldRole, Role newRole) {
}
