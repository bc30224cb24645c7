package keyquota.projections.member;

import keyquota.domain.Role;

import java.time.Instant;

/** @param email where notifications go by email, or null */
public record MemberView(String projectId, String userId, Role role, Instant joinedAt, String email) {
}
