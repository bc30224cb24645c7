package keyquota.domain.membership;

import keyquota.domain.MembershipId;
import keyquota.domain.Role;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adds the user to the project with this role, or changes the role of a current member. */
public record SetMemberRole(String projectId, String userId, Role role) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
