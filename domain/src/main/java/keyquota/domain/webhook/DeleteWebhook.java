package keyquota.domain.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record DeleteWebhook(UUID webhookId) {

    @TargetAggregateIdentifier
    public String aggregateId() {
        return WebhookId.of(webhookId);
    }
}
