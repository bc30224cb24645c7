package keyquota.domain.key;

import java.util.UUID;

public record KeyDeleted(UUID keyId, String projectId, String userId, KeyDeletionReason reason) {
}
