package keyquota.projections.key;

import keyquota.domain.Role;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key as stored for listing and authentication: its hash and display form, never its secret.
 * Member keys have a project, user, role and expiry; service keys may have a service; operator keys neither.
 *
 * @param services     the services a member key may be verified for, or null for all
 * @param allowedCidrs the networks a member key may be presented from, or null for any
 * @param replacedBy   the key it was rolled to, or null
 * @param lastUsedAt   the minute it was last used, or null (also where the reader does not ask)
 * @param lastUsedBy   the service that last verified it, or {@code API} for its own calls; or null
 */
public record KeyView(UUID keyId, KeyType type, String name, String maskedKey, String projectId, String userId,
                      Role role, String service, Instant createdAt, Instant expiresAt, boolean deleted,
                      boolean disabled, UUID replacedBy, List<String> services, List<String> allowedCidrs,
                      Instant lastUsedAt, String lastUsedBy) {

    public KeyView {
        services = services == null ? null : List.copyOf(services);
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Expired wins over disabled, as the contract lists a key that is both. */
    public KeyStatus statusAt(Instant now) {
        if (isExpiredAt(now)) {
            return KeyStatus.EXPIRED;
        }
        return disabled ? KeyStatus.DISABLED : KeyStatus.ACTIVE;
    }

    KeyView withName(String newName) {
        return new KeyView(keyId, type, newName, maskedKey, projectId, userId, role, service, createdAt, expiresAt,
                deleted, disabled, replacedBy, services, allowedCidrs, lastUsedAt, lastUsedBy);
    }

    KeyView withExpiry(Instant newExpiry) {
        return new KeyView(keyId, type, name, maskedKey, projectId, userId, role, service, createdAt, newExpiry,
                deleted, disabled, replacedBy, services, allowedCidrs, lastUsedAt, lastUsedBy);
    }

    KeyView withDisabled(boolean isDisabled) {
        return new KeyView(keyId, type, name, maskedKey, projectId, userId, role, service, createdAt, expiresAt,
                deleted, isDisabled, replacedBy, services, allowedCidrs, lastUsedAt, lastUsedBy);
    }

    KeyView rolledTo(UUID newKeyId, Instant graceEnds) {
        return new KeyView(keyId, type, name, maskedKey, projectId, userId, role, service, createdAt, graceEnds,
                deleted, disabled, newKeyId, services, allowedCidrs, lastUsedAt, lastUsedBy);
    }
}
