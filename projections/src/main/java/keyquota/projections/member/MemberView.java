package keyquota.projections.member;

import keyquota.domain.Role;

import java.time.Instant;

public record MemberView(String projectId, String userId, Role role, Instant joinedAt) {
}
