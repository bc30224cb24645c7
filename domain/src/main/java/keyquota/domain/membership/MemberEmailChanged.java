package keyquota.domain.membership;

/** @param oldEmail null when the member had none */
public record MemberEmailChanged(String projectId, String userId, String oldEmail, String newEmail) {
}
