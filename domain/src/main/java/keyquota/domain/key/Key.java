package keyquota.domain.key;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A live (undeleted) key of a membership, with what its rules need: deleted keys leave the membership for good.
 * When several rules refuse a command, they are checked in the contract's order: expired, disabled, rolled.
 *
 * @param services     null: every service
 * @param allowedCidrs null: any address
 * @param replacedBy   the key it was rolled to, or null
 */
public record Key(UUID keyId, String name, List<String> services, List<String> allowedCidrs, Instant expiresAt,
                  boolean disabled, UUID replacedBy) {

    public boolean isActiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** A rolled key no longer counts toward the key limit; a disabled one still does. */
    public boolean countsTowardLimitAt(Instant now) {
        return isActiveAt(now) && replacedBy == null;
    }

    public void ensureNotExpired(Instant now) {
        if (!isActiveAt(now)) {
            throw new DomainException(ErrorCode.KEY_EXPIRED, "Key is expired.");
        }
    }

    public void ensureNotDisabled() {
        if (disabled) {
            throw new DomainException(ErrorCode.KEY_DISABLED, "Key is disabled.");
        }
    }

    public void ensureNotRolled() {
        if (replacedBy != null) {
            throw new DomainException(ErrorCode.KEY_ROLLED, "Key was rolled already.");
        }
    }

    /** Extending and rolling need a key that works and has not been replaced. */
    public void ensureChangeable(Instant now) {
        ensureNotExpired(now);
        ensureNotDisabled();
        ensureNotRolled();
    }

    public Key extendedTo(Instant newExpiry) {
        return new Key(keyId, name, services, allowedCidrs, newExpiry, disabled, replacedBy);
    }

    public Key renamed(String newName) {
        return new Key(keyId, newName, services, allowedCidrs, expiresAt, disabled, replacedBy);
    }

    public Key disabled(boolean isDisabled) {
        return new Key(keyId, name, services, allowedCidrs, expiresAt, isDisabled, replacedBy);
    }

    public Key rolledTo(UUID newKeyId, Instant graceEnds) {
        return new Key(keyId, name, services, allowedCidrs, graceEnds, disabled, newKeyId);
    }
}
