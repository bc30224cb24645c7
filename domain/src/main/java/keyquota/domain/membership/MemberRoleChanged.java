package keyquota.domain.membership;

public record MemberRoleChanged(String projectId, String userId, Role oldRole, Role newRole) {
}
