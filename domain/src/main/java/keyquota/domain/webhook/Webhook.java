package keyquota.domain.webhook;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.List;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A URL that receives notifications. Its target and who may manage it are checked before the command is sent
 * (the target at every delivery too); the aggregate makes its life, creation to deletion, part of the audit trail.
 */
public class Webhook {

    @AggregateIdentifier
    private String webhookAggregateId;
    private UUID webhookId;
    private String projectId;
    private boolean deleted;

    protected Webhook() {
    }

    @CommandHandler
    public Webhook(CreateWebhook command) {
        apply(new WebhookCreated(command.webhookId(), command.url(), command.projectId(),
                command.types() == null ? null : List.copyOf(command.types())));
    }

    @CommandHandler
    public void handle(DeleteWebhook command) {
        ensureNotDeleted();
        apply(new WebhookDeleted(webhookId, projectId));
    }

    private void ensureNotDeleted() {
        if (deleted) {
            throw new DomainException(ErrorCode.NOT_FOUND, "Webhook not found.");
        }
    }

    @EventSourcingHandler
    void on(WebhookCreated event) {
        webhookAggregateId = WebhookId.of(event.webhookId());
        webhookId = event.webhookId();
        projectId = event.projectId();
    }

    @EventSourcingHandler
    void on(WebhookDeleted event) {
        deleted = true;
    }
}
