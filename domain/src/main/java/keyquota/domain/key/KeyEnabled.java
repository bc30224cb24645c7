package keyquota.domain.key;

import java.util.UUID;

public record KeyEnabled(UUID keyId, String projectId, String userId) {
}
