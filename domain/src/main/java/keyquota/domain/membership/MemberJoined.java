package keyquota.domain.membership;

import keyquota.domain.Role;

import java.time.Instant;

public record MemberJoined(String projectId, String userId, Role role, Instant joinedAt) {
}
