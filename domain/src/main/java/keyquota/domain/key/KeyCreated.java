package keyquota.domain.key;

import keyquota.domain.Role;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/**
 * A key was created. Revision 2 records the absolute expiry; revision 1 recorded the validity in days
 * ({@code validDays}) and is upcast on reading.
 */
@Revision("2")
public record KeyCreated(UUID keyId, String projectId, String userId, Role role, String name, String keyHash,
                         String maskedKey, Instant createdAt, Instant expiresAt) {
}
