package keyquota.domain.servicekey;

import java.time.Instant;
import java.util.UUID;

public record ServiceKeyCreated(UUID keyId, String name, String service, String keyHash, String maskedKey,
                                Instant createdAt) {
}
