package keyquota.domain.servicekey;

import java.util.UUID;

public record ServiceKeyDeleted(UUID keyId) {
}
