package keyquota.projections.member;

import keyquota.domain.Role;
import keyquota.domain.membership.MemberEmailChanged;
import keyquota.domain.membership.MemberJoined;
import keyquota.domain.membership.MemberRemoved;
import keyquota.domain.membership.MemberRoleChanged;

import java.time.Instant;

/**
 * What each event does to a project's members, read in one place: the live member list ({@link MemberProjection})
 * and the members of a past quota view ({@link keyquota.projections.quota.QuotaHistory}) both apply events through
 * {@link #apply}.
 */
public interface MemberChanges {

    /** @param email null when none was given */
    void joined(String projectId, String userId, Role role, Instant joinedAt, String email);

    void roleChanged(String projectId, String userId, Role role);

    void removed(String projectId, String userId);

    /** Readers that show no emails (the members of a past quota view) need not follow this. */
    default void emailChanged(String projectId, String userId, String email) {
    }

    /** Hands the change the event makes, if any, to {@code changes}. */
    static void apply(Object event, MemberChanges changes) {
        if (event instanceof MemberJoined e) {
            changes.joined(e.projectId(), e.userId(), e.role(), e.joinedAt(), e.email());
        } else if (event instanceof MemberRoleChanged e) {
            changes.roleChanged(e.projectId(), e.userId(), e.newRole());
        } else if (event instanceof MemberEmailChanged e) {
            changes.emailChanged(e.projectId(), e.userId(), e.newEmail());
        } else if (event instanceof MemberRemoved e) {
            changes.removed(e.projectId(), e.userId());
        }
    }
}
