package keyquota.domain.key;

import java.time.Instant;
import java.util.UUID;

public record KeyExtended(UUID keyId, String projectId, String userId, Instant oldExpiresAt, Instant newExpiresAt) {
}
