package keyquota.domain.membership;

import keyquota.domain.MembershipId;
import keyquota.domain.Role;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Adds the user to the project with this role, or changes the role of a current member.
 *
 * @param email the member's email address for notifications, or null to leave it as it is
 */
public record SetMemberRole(String projectId, String userId, Role role, String email) {

    public SetMemberRole(String projectId, String userId, Role role) {
        this(projectId, userId, role, null);
    }

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
