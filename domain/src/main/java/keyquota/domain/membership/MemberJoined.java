package keyquota.domain.membership;

import java.time.Instant;

public record MemberJoined(String projectId, String userId, Role role, Instant joinedAt) {
}
