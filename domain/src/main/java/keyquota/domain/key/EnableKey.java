package keyquota.domain.key;

import keyquota.domain.MembershipId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record EnableKey(String projectId, String userId, UUID keyId) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
