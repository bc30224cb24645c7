package keyquota.domain.key;

import java.util.UUID;

public record KeyDisabled(UUID keyId, String projectId, String userId) {
}
