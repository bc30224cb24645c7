package keyquota.domain.key;

import keyquota.domain.membership.Role;

import java.time.Instant;
import java.util.UUID;

public record KeyCreated(UUID keyId, String projectId, String userId, Role role, String name, String keyHash,
                         String maskedKey, Instant createdAt, Instant expiresAt) {
}
