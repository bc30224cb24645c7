package keyquota.api.key;

import com.fasterxml.jackson.annotation.JsonInclude;
import keyquota.application.key.CreatedKey;
import keyquota.domain.Role;
import keyquota.projections.key.KeyStatus;
import keyquota.projections.key.KeyView;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A member key as listed; {@code key}, the secret, only in the answer that creates it (or rolls to it).
 * {@code services} and {@code allowedCidrs} are null for a key without those scopes.
 */
record KeyResponse(UUID keyId, String name, String maskedKey, String projectId, String userId, Role role,
                   Instant createdAt, Instant expiresAt, KeyStatus status, Instant lastUsedAt, String lastUsedBy,
                   List<String> services, List<String> allowedCidrs, UUID replacedBy,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String key) {

    static KeyResponse of(KeyView key, Instant now) {
        return of(key, now, null);
    }

    static KeyResponse created(CreatedKey created, Instant now) {
        return of(created.key(), now, created.secret().reveal());
    }

    private static KeyResponse of(KeyView key, Instant now, String secret) {
        return new KeyResponse(key.keyId(), key.name(), key.maskedKey(), key.projectId(), key.userId(), key.role(),
                key.createdAt(), key.expiresAt(), key.statusAt(now), key.lastUsedAt(), key.lastUsedBy(),
                key.services(), key.allowedCidrs(),
                key.replacedBy(), secret);
    }

    /** Without the secret: Spring's web logging (DEBUG, TRACE) writes an answer's body with it. */
    @Override
    public String toString() {
        return "KeyResponse[keyId=" + keyId + ", maskedKey=" + maskedKey + "]";
    }
}
