package keyquota.domain.membership;

public record MemberRemoved(String projectId, String userId, Role role) {
}
