package keyquota.domain.key;

import java.util.UUID;

public record KeyRenamed(UUID keyId, String projectId, String userId, String oldName, String newName) {
}
