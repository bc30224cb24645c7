package keyquota.domain.membership;

import keyquota.domain.MembershipId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RemoveMember(String projectId, String userId) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
