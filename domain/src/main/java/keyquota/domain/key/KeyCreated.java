package keyquota.domain.key;

import keyquota.domain.Role;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key was created, by its own command or by rolling another. Revision 2 records the absolute expiry; revision 1
 * recorded the validity in days ({@code validDays}) and is upcast on reading. Keys made before scopes existed read
 * with null scopes, which is what they were: every service, any address.
 *
 * @param services     the services it may be verified for, or null for all
 * @param allowedCidrs the networks it may be presented from, or null for any
 */
@Revision("2")
public record KeyCreated(UUID keyId, String projectId, String userId, Role role, String name, String keyHash,
                         String maskedKey, Instant createdAt, Instant expiresAt, List<String> services,
                         List<String> allowedCidrs) {
}
