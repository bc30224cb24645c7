package keyquota.domain.key;

import keyquota.domain.MembershipId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Creates a key for a member. The secret never reaches the domain: only its SHA-256 hash and display form. */
public record CreateKey(String projectId, String userId, UUID keyId, String name, String keyHash, String maskedKey,
                        int validDays) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
