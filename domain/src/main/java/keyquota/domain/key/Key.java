package keyquota.domain.key;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;

import java.time.Instant;
import java.util.UUID;

/** A live (undeleted) key of a membership. Deleted keys leave the membership for good. */
public record Key(UUID keyId, Instant expiresAt) {

    public boolean isActiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    public void ensureNotExpired(Instant now) {
        if (!isActiveAt(now)) {
            throw new DomainException(ErrorCode.KEY_EXPIRED, "Key is expired.");
        }
    }

    public Key extendedTo(Instant newExpiry) {
        return new Key(keyId, newExpiry);
    }
}
