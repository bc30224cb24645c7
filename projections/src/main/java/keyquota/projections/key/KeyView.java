package keyquota.projections.key;

import keyquota.domain.Role;

import java.time.Instant;
import java.util.UUID;

/**
 * A key as stored for listing and authentication: its hash and display form, never its secret.
 * Member keys have a project, user, role and expiry; service keys may have a service; operator keys neither.
 */
public record KeyView(UUID keyId, KeyType type, String name, String maskedKey, String projectId, String userId,
                      Role role, String service, Instant createdAt, Instant expiresAt, boolean deleted) {

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public KeyStatus statusAt(Instant now) {
        return isExpiredAt(now) ? KeyStatus.EXPIRED : KeyStatus.ACTIVE;
    }
}
