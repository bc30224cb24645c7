package keyquota.domain.key;

import keyquota.domain.MembershipId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** @param name the new name, or null for none */
public record RenameKey(String projectId, String userId, UUID keyId, String name) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
