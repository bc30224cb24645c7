package keyquota.domain.membership;

import keyquota.domain.Role;

import java.time.Instant;

/** @param email the member's email address, or null (none given; or a member who joined before emails existed) */
public record MemberJoined(String projectId, String userId, Role role, Instant joinedAt, String email) {

    public MemberJoined(String projectId, String userId, Role role, Instant joinedAt) {
        this(projectId, userId, role, joinedAt, null);
    }
}
