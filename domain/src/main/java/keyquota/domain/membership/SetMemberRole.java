package keyquota.domain.membership;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adds the user to the project with this role, or changes the role of a current member. */
public record SetMemberRole(String projectId, String userId, Role role) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
