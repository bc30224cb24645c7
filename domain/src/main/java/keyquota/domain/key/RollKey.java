package keyquota.domain.key;

import keyquota.domain.MembershipId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Replaces a key by a new one with a new secret (its hash and display form here), leaving the old one working for
 * a grace period so that its users can switch without an outage.
 */
public record RollKey(String projectId, String userId, UUID keyId, UUID newKeyId, String keyHash, String maskedKey,
                      int graceHours) {

    public static final int DEFAULT_GRACE_HOURS = 24;
    public static final int MAX_GRACE_HOURS = 168;

    @TargetAggregateIdentifier
    public String membershipId() {
        return MembershipId.of(projectId, userId);
    }
}
