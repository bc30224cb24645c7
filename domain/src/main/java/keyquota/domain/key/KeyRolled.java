package keyquota.domain.key;

import java.time.Instant;
import java.util.UUID;

/**
 * A key was replaced by {@code replacedBy} (whose own {@link KeyCreated} follows) and now works only until the end
 * of its grace period, {@code newExpiresAt}.
 */
public record KeyRolled(UUID keyId, String projectId, String userId, UUID replacedBy, Instant oldExpiresAt,
                        Instant newExpiresAt) {
}
