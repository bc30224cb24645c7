package keyquota.domain.webhook;

import java.util.List;
import java.util.UUID;

/** Holds no signing secret: the secret is kept only where deliveries are signed (see V10__webhooks.sql). */
public record WebhookCreated(UUID webhookId, String url, String projectId, List<String> types) {
}
