package keyquota.domain.key;

import keyquota.domain.MembershipId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Creates a key for a member. The secret never reaches the domain: only its SHA-256 hash and display form.
 *
 * @param services     the services it may be verified for, or null for all
 * @param allowedCidrs the networks it may be presented from, or null for any
 */
public record CreateKey(String projectId, String userId, UUID keyId, String name, String keyHash, String maskedKey,
                        int validDays, KeyServices services, AllowedCidrs allowedCidrs) {

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
