package keyquota.domain.membership;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RemoveMember(String projectId, String userId) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
