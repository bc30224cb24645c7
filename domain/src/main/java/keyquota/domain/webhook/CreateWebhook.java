package keyquota.domain.webhook;

import java.util.List;
import java.util.UUID;

/**
 * @param projectId the project whose notifications it receives, or null for every project's
 * @param types     the notification types it receives, or null for all
 */
public record CreateWebhook(UUID webhookId, String url, String projectId, List<String> types) {
}
