package keyquota.domain.key;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;

import java.time.Instant;
import java.util.UUID;

/** A live (undeleted) key of a membership. Deleted keys leave the membership for good. */
public final class Key {

    private final UUID keyId;
    private Instant expiresAt;

    public Key(UUID keyId, Instant expiresAt) {
        this.keyId = keyId;
        this.expiresAt = expiresAt;
    }

    public UUID keyId() {
        return keyId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean isActiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    public void ensureNotExpired(Instant now) {
        if (!isActiveAt(now)) {
            throw new DomainException(ErrorCode.KEY_EXPIRED, "Key is expired.");
        }
    }

    public void extendTo(Instant newExpiry) {
        expiresAt = newExpiry;
    }
}
