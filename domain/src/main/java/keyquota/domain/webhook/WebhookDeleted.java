package keyquota.domain.webhook;

import java.util.UUID;

public record WebhookDeleted(UUID webhookId, String projectId) {
}
