package keyquota.domain.operator;

import java.time.Instant;
import java.util.UUID;

/** @param replacedKeyId the operator key this one replaces, or null for the first */
public record OperatorKeyConfigured(UUID keyId, String keyHash, String maskedKey, UUID replacedKeyId,
                                    Instant configuredAt) {
}
