package keyquota.domain.membership;

import keyquota.domain.Role;

public record MemberRemoved(String projectId, String userId, Role role) {
}
