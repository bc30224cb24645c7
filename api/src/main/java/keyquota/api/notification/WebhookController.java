package keyquota.api.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.notification.NotificationType;
import keyquota.application.notification.WebhookTargets;
import keyquota.application.notification.Webhooks;
import keyquota.domain.ErrorCode;
import keyquota.projections.notification.Webhook;
import keyquota.projections.notification.WebhookDelivery;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Webhooks, which get notifications by HTTP, and how their deliveries fare. */
@Tag(name = "Webhooks", description = "Webhooks, which get notifications by HTTP, and how their deliveries fare.")
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

    private final Webhooks webhooks;

    WebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    /**
     * @param projectId the project, or none: a tenant admin's own, the operator's for every project
     * @param types     the notification types, or none for all
     */
    record CreateWebhookRequest(@NotNull @Size(max = WebhookTargets.MAX_LENGTH) String url,
                                @Size(min = 1, max = 64) String projectId,
                                @Size(max = 16) List<String> types) {
    }

    /**
     * @param types  those it gets: every type when made for all
     * @param secret shown only in the answer that creates it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookResponse(UUID webhookId, String url, String projectId, List<String> types, Instant createdAt,
                           String secret) {

        static WebhookResponse of(Webhook webhook, String secret) {
            List<String> types = webhook.types() != null ? webhook.types()
                    : Arrays.stream(NotificationType.values()).map(Enum::name).toList();
            return new WebhookResponse(webhook.webhookId(), webhook.url(), webhook.projectId(), types,
                    webhook.createdAt(), secret);
        }

        @Override
        public String toString() {
            return "WebhookResponse[webhookId=" + webhookId + "]";
        }
    }

    record WebhookList(List<WebhookResponse> webhooks) {
    }

    /** @param lastAttemptAt and lastStatusCode null before the first attempt, the code also when none answered */
    record DeliveryResponse(UUID deliveryId, UUID notificationId, String status, int attempts, Instant lastAttemptAt,
                            Integer lastStatusCode) {

        static DeliveryResponse of(WebhookDelivery delivery) {
            return new DeliveryResponse(delivery.deliveryId(), delivery.notificationId(), delivery.status(),
                    delivery.attempts(), delivery.lastAttemptAt(), delivery.lastStatusCode());
        }
    }

    record DeliveryList(List<DeliveryResponse> deliveries) {
    }

    @Operation(summary = "Create a webhook", description = "The operator (any project, or all with no `projectId`) and "
            + "tenant admins (their own project). `url` is `https://` (or `http://` where "
            + "`keyquota.webhooks.allow-http` is on), not on a loopback, link-local or private address. The signing "
            + "`secret` is in this answer only.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    WebhookResponse create(@AuthenticationPrincipal Principal principal,
                           @Valid @RequestBody CreateWebhookRequest request) {
        Webhooks.CreatedWebhook created = webhooks.create(principal, request.url(), request.projectId(),
                request.types());
        return WebhookResponse.of(created.webhook(), created.secret());
    }

    @Operation(summary = "List webhooks", description = "Those the caller may manage; without their secrets.")
    @Refusals(ErrorCode.FORBIDDEN)
    @GetMapping
    WebhookList list(@AuthenticationPrincipal Principal principal) {
        return new WebhookList(webhooks.list(principal).stream().map(w -> WebhookResponse.of(w, null)).toList());
    }

    @Operation(summary = "Delete a webhook", description = "The operator: any; a tenant admin: their own project's.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @DeleteMapping("/{webhookId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Principal principal, @PathVariable UUID webhookId) {
        webhooks.delete(principal, webhookId);
    }

    /** The newest deliveries first, at most {@value Webhooks#DELIVERIES_LISTED}. */
    @Operation(summary = "List a webhook's deliveries", description = "The newest first, at most 100.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{webhookId}/deliveries")
    DeliveryList deliveries(@AuthenticationPrincipal Principal principal, @PathVariable UUID webhookId) {
        return new DeliveryList(webhooks.deliveries(principal, webhookId).stream().map(DeliveryResponse::of)
                .toList());
    }
}
