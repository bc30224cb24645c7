package keyquota.domain.webhook;

import java.util.UUID;

/** ':' appears in no project or user id, so a webhook's aggregate id never clashes with theirs. */
public final class WebhookId {

    private WebhookId() {
    }

    public static String of(UUID webhookId) {
        return "webhook:" + webhookId;
    }
}
